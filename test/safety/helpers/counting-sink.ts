import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/**
 * An SMTP sink on 127.0.0.1 (port 0) for load: it counts what it receives per recipient
 * and keeps no message, so that tens of thousands of them cost the test nothing.
 */
export interface CountingSink {
  port: number;
  url: string;
  /** Messages received per recipient address. */
  received: Map<string, number>;
  total(): number;
  bytes(): number;
  close(): Promise<void>;
}

export async function startCountingSink(): Promise<CountingSink> {
  const received = new Map<string, number>();
  let total = 0;
  let bytes = 0;
  const server = new SMTPServer({
    authOptional: true,
    hideSTARTTLS: true,
    disableReverseLookup: true,
    logger: false,
    closeTimeout: 500,
    onData(stream, session, callback) {
      stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
      stream.on('end', () => {
        total++;
        for (const r of session.envelope.rcptTo) {
          received.set(r.address, (received.get(r.address) ?? 0) + 1);
        }
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    total: () => total,
    bytes: () => bytes,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
