// The local SMTP sink of the send case: smtp-server on 127.0.0.1, in the bench's own
// process, any login or none accepted, every message read and thrown away, counted.
// smtp-server holds every greeting 100 ms (no option turns it off): one-connection-per-
// message senders pay it each time, pools once per connection.
import { SMTPServer } from 'smtp-server';

/** Starts the sink; resolves with `{ url, received(), close() }`. */
export async function startSmtpSink() {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    hideSTARTTLS: true,
    disableReverseLookup: true,
    logger: false,
    maxClients: 1000,
    onData(stream, _session, callback) {
      stream.on('end', () => {
        received++;
        callback();
      });
      stream.resume();
    },
  });
  server.on('error', () => {});
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address();
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received: () => received,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
