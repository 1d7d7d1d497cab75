import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * How one connection behaves:
 * - `ok`: a plain, well-behaved relay that keeps every message;
 * - `silent`: accepts the TCP connection and never says a word (a stalled relay);
 * - `close-mid-data`: answers 354 to DATA, then drops the connection on the first bytes;
 * - `stall-after-data`: reads the whole message and never answers the final dot;
 * - `close-at-second-mail`: keeps one message, then drops the connection when the next
 *   one's MAIL FROM arrives (a relay that closed it as the sender reused it);
 * - `close-in-second-data`: keeps one message, then drops the connection in the middle of
 *   the next one's DATA.
 */
export type Behaviour =
  | 'ok'
  | 'silent'
  | 'close-mid-data'
  | 'stall-after-data'
  | 'close-at-second-mail'
  | 'close-in-second-data';

/** Whether the connection is dropped now, given the messages it has kept and the line. */
function dropsNow(behaviour: Behaviour, kept: number, inData: boolean, line: string): boolean {
  if (behaviour === 'close-mid-data') return inData;
  if (kept !== 1) return false;
  if (behaviour === 'close-in-second-data') return inData;
  return behaviour === 'close-at-second-mail' && !inData && /^MAIL/i.test(line);
}

/** A message the relay acknowledged with 250. */
export interface RawMessage {
  from: string;
  to: string[];
  raw: string;
}

/**
 * A hand-written SMTP server on 127.0.0.1 (port 0) speaking just enough of the protocol
 * for nodemailer, for the faults smtp-server cannot produce (a connection dropped in the
 * middle of DATA, a relay that goes silent, one that offers a login but no STARTTLS).
 * Connections are numbered from 1; `script` picks each one's behaviour.
 */
export interface RawSmtp {
  host: string;
  port: number;
  url: string;
  messages: RawMessage[];
  /** Connections accepted so far, with the behaviour each was given. */
  connections: Behaviour[];
  /** The AUTH command lines received (in clear: this relay offers no TLS). */
  logins: string[];
  /** Stops listening (a connect is then refused); open connections go on. */
  refuse(): Promise<void>;
  /** Listens again on the same port. */
  restart(): Promise<void>;
  /** Ends every open connection with 421, as a relay does at its idle timeout; goes on listening. */
  dropAll(): Promise<void>;
  close(): Promise<void>;
}

interface Session {
  from: string;
  to: string[];
  data: string[] | undefined;
}

/** Answers one command line; returns false when the connection must end. */
function command(line: string, session: Session, socket: net.Socket, logins: string[]): boolean {
  const verb = line.slice(0, 4).toUpperCase();
  const reply = (text: string) => socket.write(`${text}\r\n`);
  // Offers a login, and no STARTTLS: what a relay (or someone in between) may do.
  if (verb === 'EHLO') reply('250-raw.test\r\n250 AUTH PLAIN');
  else if (verb === 'HELO') reply('250 raw.test');
  else if (verb === 'AUTH') {
    logins.push(line);
    reply('235 accepted');
  } else if (verb === 'MAIL') {
    session.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
    session.to = [];
    reply('250 sender ok');
  } else if (verb === 'RCPT') {
    session.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
    reply('250 recipient ok');
  } else if (verb === 'DATA') {
    session.data = [];
    reply('354 end with <CRLF>.<CRLF>');
  } else if (verb === 'RSET' || verb === 'NOOP') reply('250 ok');
  else if (verb === 'QUIT') {
    reply('221 bye');
    socket.end();
    return false;
  } else reply('502 not implemented');
  return true;
}

function serve(
  socket: net.Socket,
  behaviour: Behaviour,
  messages: RawMessage[],
  logins: string[],
): void {
  socket.on('error', () => {});
  if (behaviour === 'silent') return;
  socket.write('220 raw.test ESMTP\r\n');
  const session: Session = { from: '', to: [], data: undefined };
  let buffered = '';
  let kept = 0;
  socket.on('data', (chunk: Buffer) => {
    if (session.data !== undefined && dropsNow(behaviour, kept, true, '')) {
      return void socket.destroy();
    }
    buffered += chunk.toString('latin1');
    for (let end = buffered.indexOf('\r\n'); end >= 0; end = buffered.indexOf('\r\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      if (session.data === undefined && dropsNow(behaviour, kept, false, line)) {
        return void socket.destroy();
      }
      if (session.data === undefined) {
        if (!command(line, session, socket, logins)) return;
      } else if (line !== '.') session.data.push(line.startsWith('..') ? line.slice(1) : line);
      else {
        const raw = session.data.join('\r\n') + '\r\n';
        session.data = undefined;
        if (behaviour === 'stall-after-data') return;
        messages.push({ from: session.from, to: session.to, raw });
        kept++;
        socket.write('250 queued as raw\r\n');
      }
    }
  });
}

export async function startRawSmtp(
  script: (n: number) => Behaviour,
  host = '127.0.0.1',
): Promise<RawSmtp> {
  const messages: RawMessage[] = [];
  const logins: string[] = [];
  const connections: Behaviour[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    const behaviour = script(connections.length + 1);
    connections.push(behaviour);
    serve(socket, behaviour, messages, logins);
  });
  const listen = (port: number) =>
    new Promise<void>((resolve) => server.listen(port, host, resolve));
  const refuse = async () => {
    if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  await listen(0);
  const port = (server.address() as AddressInfo).port;
  return {
    host,
    port,
    url: `smtp://${host}:${port}`,
    messages,
    connections,
    logins,
    refuse,
    restart: () => listen(port),
    dropAll: async () => {
      const ended = [...sockets].map(
        (socket) => new Promise<void>((resolve) => socket.end('421 idle too long\r\n', resolve)),
      );
      await Promise.all(ended);
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await refuse();
    },
  };
}
