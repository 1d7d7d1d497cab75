import { ImapFlow, type FetchMessageObject } from 'imapflow';
import { errnoCode, errorMessage, UserError } from '../../errors.js';
import { redactUrls } from '../../db/url.js';
import type { ImapAddress } from '../imap-url.js';
import type { MessageSource, RawMessage } from './source.js';

/** Messages fetched per FETCH, and at most this many bytes of them held at once. */
const BATCH = 50;
const BATCH_BYTES = 32 * 1024 * 1024;

interface Listed {
  uid: number;
  size: number;
  arrivedAt: Date | null;
}

/** Says what went wrong with the server, in its own words, never with the password. */
function imapError(error: unknown, address: ImapAddress): UserError {
  const e = error as {
    authenticationFailed?: boolean;
    tlsFailed?: boolean;
    mailboxMissing?: boolean;
  };
  const at = address.label;
  const code = errnoCode(error);
  if (e.authenticationFailed) {
    return new UserError(`the IMAP server at ${at} refused the login of ${address.user}`, {
      hint: 'check the user and the password (in the URL or BOUNCES_IMAP_PASSWORD)',
      cause: error,
    });
  }
  if (e.mailboxMissing) {
    return new UserError(`the IMAP mailbox "${address.mailbox}" does not exist at ${at}`, {
      hint: 'name the mailbox after the host: imaps://USER@HOST/INBOX',
      cause: error,
    });
  }
  if (e.tlsFailed || /certificate|self.signed|TLS|SSL/i.test(errorMessage(error))) {
    return new UserError(
      `TLS with the IMAP server at ${at} failed: ${redactUrls(errorMessage(error))}`,
      {
        hint: 'check the port (993 for imaps://, 143 for imap://); a test server with a self-signed certificate needs ?tls.rejectUnauthorized=false',
        cause: error,
      },
    );
  }
  const reach = [
    'ECONNREFUSED',
    'ENOTFOUND',
    'EAI_AGAIN',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ECONNRESET',
  ];
  const why = code && reach.includes(code) ? code : redactUrls(errorMessage(error));
  return new UserError(`cannot read the IMAP mailbox at ${at} (${why})`, {
    hint: 'check the host and port, and that the server is running',
    cause: error,
  });
}

function clientFor(address: ImapAddress): ImapFlow {
  const client = new ImapFlow({
    host: address.host,
    port: address.port,
    secure: address.secure,
    doSTARTTLS: address.secure ? undefined : address.requireTLS ? true : undefined,
    auth: { user: address.user, pass: address.pass },
    tls: { rejectUnauthorized: address.rejectUnauthorized },
    logger: false,
    disableAutoIdle: true,
    ...address.timeouts,
  });
  // Errors also reach the awaited call; without a listener an 'error' event would crash.
  client.on('error', () => {});
  return client;
}

/** Connects and logs in now, so that a refused login stops the run before anything else. */
export async function openImapSource(address: ImapAddress, max: number): Promise<MessageSource> {
  const client = clientFor(address);
  try {
    await client.connect();
  } catch (error) {
    client.close();
    throw imapError(error, address);
  }
  async function* messages(): AsyncGenerator<RawMessage> {
    let lock;
    try {
      // EXAMINE: read-only, nothing is flagged, moved or deleted.
      lock = await client.getMailboxLock(address.mailbox, { readOnly: true });
    } catch (error) {
      throw imapError(error, address);
    }
    try {
      const listed = await listMessages(client, address);
      for (const batch of batches(listed, max)) yield* fetchBatch(client, address, batch, max);
    } finally {
      lock.release();
    }
  }
  return {
    label: address.label,
    messages,
    close: async () => {
      await client.logout().catch(() => client.close());
    },
  };
}

async function listMessages(client: ImapFlow, address: ImapAddress): Promise<Listed[]> {
  const mailbox = client.mailbox;
  if (mailbox === false || mailbox.exists === 0) return [];
  try {
    const all = await client.fetchAll('1:*', { uid: true, size: true, internalDate: true });
    return all.map((m) => ({ uid: m.uid, size: m.size ?? 0, arrivedAt: dateOf(m) }));
  } catch (error) {
    throw imapError(error, address);
  }
}

function dateOf(m: FetchMessageObject): Date | null {
  if (m.internalDate === undefined) return null;
  const date = new Date(m.internalDate);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Groups of UIDs to fetch together; messages over the limit go alone, unfetched. */
function* batches(listed: Listed[], max: number): Generator<Listed[]> {
  let batch: Listed[] = [];
  let bytes = 0;
  for (const m of listed) {
    const size = m.size > max ? 0 : m.size;
    if (batch.length > 0 && (batch.length >= BATCH || bytes + size > BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(m);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}

async function* fetchBatch(
  client: ImapFlow,
  address: ImapAddress,
  batch: Listed[],
  max: number,
): AsyncGenerator<RawMessage> {
  const wanted = batch.filter((m) => m.size <= max).map((m) => m.uid);
  const sources = new Map<number, Buffer>();
  if (wanted.length > 0) {
    try {
      // Collected before yielding: no other IMAP command may run inside a FETCH.
      for (const m of await client.fetchAll(wanted, { uid: true, source: true }, { uid: true })) {
        if (m.source) sources.set(m.uid, m.source);
      }
    } catch (error) {
      throw imapError(error, address);
    }
  }
  for (const m of batch) {
    const raw = m.size > max ? null : (sources.get(m.uid) ?? null);
    yield { where: `UID ${m.uid}`, raw, size: m.size, arrivedAt: m.arrivedAt };
  }
}
