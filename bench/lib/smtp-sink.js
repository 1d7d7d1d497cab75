// The local SMTP sink of the send case: smtp-server on 127.0.0.1, in the bench's own
// process, any login or none accepted, every message read and thrown away, counted.
// smtp-server holds every greeting 100 ms to catch clients that talk too soon, and no
// option turns that off; it would cost a one-connection-per-message sender (msmtp) 100 ms
// a message and a pool next to nothing. The sink greets at once instead (GreetAtOnce
// below), so every case pays only for its own work.
import { SMTPServer } from 'smtp-server';
import { SMTPConnection } from 'smtp-server/lib/smtp-connection.js';

/** SMTPConnection#init without the 100 ms wait before the greeting. */
class GreetAtOnce extends SMTPConnection {
  init() {
    this._setListeners(() => {
      const { maxClients } = this._server.options;
      if (maxClients && this._server.connections.size > maxClients) {
        return this.send(
          421,
          `${this.name} Too many connected clients, try again in a moment`,
          false,
        );
      }
      this.connectionReady();
    });
  }
}

/** SMTPServer#connect, with connections that greet at once. */
class Sink extends SMTPServer {
  connect(socket, socketOptions) {
    const connection = new GreetAtOnce(this, socket, socketOptions);
    this.connections.add(connection);
    connection.on('error', (err) => this._onError(err));
    connection.on('connect', (data) => this._onClientConnect(data));
    connection.init();
  }
}

/** Starts the sink; resolves with `{ url, received(), close() }`. */
export async function startSmtpSink() {
  let received = 0;
  const server = new Sink({
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
