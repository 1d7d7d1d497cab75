import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createSmtpTransport } from '../../../src/core/transports/smtp.js';
import type { Transport } from '../../../src/core/transports/transport.js';
import { startRawSmtp, type Behaviour, type RawSmtp } from '../../safety/helpers/raw-smtp.js';
import { useSmtpSink } from '../../helpers/fixtures.js';

const sink = useSmtpSink();
const open: Transport[] = [];
const relays: RawSmtp[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((t) => t.close()));
});
afterAll(async () => {
  await Promise.all(relays.map((r) => r.close()));
});

function transport(url: string, connections: number): Transport {
  const t = createSmtpTransport({ url, connections });
  open.push(t);
  return t;
}

async function relay(script: (n: number) => Behaviour): Promise<RawSmtp> {
  const r = await startRawSmtp(script);
  relays.push(r);
  return r;
}

function message(to: string) {
  const raw = Buffer.from(
    `From: beta@example.org\r\nTo: ${to}\r\nSubject: hi\r\n\r\n.dot\r\nbody\r\n`,
  );
  return { raw, from: 'beta@example.org', to: [to] };
}

describe('the SMTP connections', () => {
  it('opens no more than asked, as messages need them, and keeps them for the next ones', async () => {
    const before = sink.counts.connections;
    const t = transport(sink.url(), 3);
    const outcomes = await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.send(message(`p${i}@example.net`))),
    );
    expect(outcomes.filter((o) => o.accepted)).toHaveLength(30);
    expect(sink.counts.connections - before).toBe(3);
    await t.send(message('later@example.net'));
    expect(sink.counts.connections - before).toBe(3);
  });

  it('goes on with the same connection after a refused recipient (RSET)', async () => {
    sink.answer('gone@example.net', [550]);
    const before = sink.counts.connections;
    const t = transport(sink.url(), 1);
    expect(await t.send(message('gone@example.net'))).toMatchObject({
      accepted: false,
      transient: false,
    });
    expect(await t.send(message('here@example.net'))).toMatchObject({ accepted: true });
    expect(sink.counts.connections - before).toBe(1);
    expect(sink.receivedBy('here@example.net')).toHaveLength(1);
  });

  it('sends on a new connection, once, a message whose reused one was closed before its bytes left', async () => {
    const r = await relay((n) => (n === 1 ? 'close-at-second-mail' : 'ok'));
    const t = transport(r.url, 1);
    expect(await t.send(message('first@example.net'))).toMatchObject({ accepted: true });
    expect(await t.send(message('second@example.net'))).toMatchObject({ accepted: true });
    expect(r.connections).toEqual(['close-at-second-mail', 'ok']);
    expect(r.messages.map((m) => m.to)).toEqual([['first@example.net'], ['second@example.net']]);
  });

  it('never resends on its own a message whose bytes had left: a transient failure instead', async () => {
    const r = await relay((n) => (n === 1 ? 'close-in-second-data' : 'ok'));
    const t = transport(r.url, 1);
    expect(await t.send(message('first@example.net'))).toMatchObject({ accepted: true });
    expect(await t.send(message('second@example.net'))).toMatchObject({
      accepted: false,
      transient: true,
    });
    expect(r.connections).toEqual(['close-in-second-data']);
    // The dispatcher's retry then goes out on a new connection.
    expect(await t.send(message('second@example.net'))).toMatchObject({ accepted: true });
    expect(r.connections).toEqual(['close-in-second-data', 'ok']);
  });

  it('replaces a connection the relay closed while idle, without a failure', async () => {
    const r = await relay(() => 'ok');
    const t = transport(r.url, 1);
    expect(await t.send(message('first@example.net'))).toMatchObject({ accepted: true });
    await r.dropAll();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await t.send(message('second@example.net'))).toMatchObject({ accepted: true });
    expect(r.connections).toEqual(['ok', 'ok']);
  });

  it('refuses a message after close, without opening a connection', async () => {
    const before = sink.counts.connections;
    const t = transport(sink.url(), 2);
    await t.close();
    expect(await t.send(message('late@example.net'))).toMatchInlineSnapshot(`
      {
        "accepted": false,
        "reason": "ECONNECTION: the transport is closed",
        "transient": true,
      }
    `);
    expect(sink.counts.connections).toBe(before);
  });
});
