import { afterAll, describe, expect, it } from 'vitest';
import { errorMessage } from '../../../src/core/errors.js';
import { createSmtpTransport } from '../../../src/core/transports/smtp.js';
import type { Transport } from '../../../src/core/transports/transport.js';
import { composeEml } from '../../helpers/outdir.js';
import { onTheWire, startSmtpSink } from '../../helpers/smtp.js';
import { useSmtpSink } from '../../helpers/fixtures.js';

const sink = useSmtpSink({ users: { launch: 'correct-horse' } });
const open: Transport[] = [];

afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
});

function transport(url: string): Transport {
  const t = createSmtpTransport({ url, connections: 2 });
  open.push(t);
  return t;
}

async function verifyError(url: string): Promise<string> {
  try {
    await transport(url).verify();
  } catch (error) {
    return errorMessage(error).replace(/:\d{4,5}\b/, ':PORT');
  }
  return 'verified';
}

const invite = {
  id: '6c1d0e7a-3b2f-4a51-9e8d-7f6a5b4c3d2e',
  code: 'ABCDEFGHJKMNPQRS',
  email: 'dana@example.net',
};

describe('the SMTP transport', () => {
  it('logs in and sends the raw bytes with the envelope given', async () => {
    const t = transport(sink.url({ user: 'launch', pass: 'correct-horse' }));
    await t.verify();
    const raw = await composeEml(invite);
    const outcome = await t.send({ raw, from: 'beta@example.org', to: ['dana@example.net'] });
    expect(outcome).toMatchObject({
      accepted: true,
      response: expect.stringMatching(/^250 /) as string,
    });
    const [got] = sink.receivedBy('dana@example.net');
    expect(got).toMatchObject({
      from: 'beta@example.org',
      to: ['dana@example.net'],
      user: 'launch',
    });
    expect(got?.raw.equals(onTheWire(raw))).toBe(true);
  });

  it('calls a 4xx transient and a 5xx permanent, with the server answer', async () => {
    sink.answer('later@example.net', [451]);
    sink.answer('never@example.net', [550]);
    const t = transport(sink.url());
    const raw = await composeEml(invite);
    expect(await t.send({ raw, from: 'beta@example.org', to: ['later@example.net'] })).toEqual({
      accepted: false,
      transient: true,
      reason: 'RCPT TO: 451 Try again later <later@example.net>',
    });
    expect(await t.send({ raw, from: 'beta@example.org', to: ['never@example.net'] })).toEqual({
      accepted: false,
      transient: false,
      reason: 'RCPT TO: 550 No such user here <never@example.net>',
    });
  });

  it('calls a connection failure transient', async () => {
    const outcome = await transport('smtp://127.0.0.1:1').send({
      raw: Buffer.from('x'),
      from: 'a@b.org',
      to: ['c@d.org'],
    });
    expect(outcome).toEqual({
      accepted: false,
      transient: true,
      reason: 'ESOCKET: connect ECONNREFUSED 127.0.0.1:1',
    });
  });

  it('verifies before sending: refused, bad login, no TLS where TLS is expected', async () => {
    expect([
      await verifyError('smtp://127.0.0.1:1'),
      await verifyError(sink.url({ user: 'launch', pass: 'wrong-horse' })),
      await verifyError(`smtps://127.0.0.1:${sink.port}`),
    ]).toMatchInlineSnapshot(`
      [
        "cannot connect to the SMTP server at 127.0.0.1:1: connection refused",
        "the SMTP server at 127.0.0.1:PORT refused the login of "launch": 535 Authentication failed",
        "cannot connect to the SMTP server at 127.0.0.1:PORT: TLS failed (the server does not speak TLS on this port)",
      ]
    `);
  });
});

describe('TLS', () => {
  it('speaks smtps:// (implicit TLS), refusing an untrusted certificate unless told otherwise', async () => {
    const tls = await startSmtpSink({ secure: true });
    try {
      // smtp-server's built-in certificate is self-signed (and, by now, expired).
      expect(await verifyError(tls.url())).toMatch(
        /^cannot connect to the SMTP server at 127\.0\.0\.1:PORT: TLS failed \((certificate has expired|self[- ]signed certificate)/,
      );
      const t = transport(tls.url(undefined, 'tls.rejectUnauthorized=false'));
      await t.verify();
      const outcome = await t.send({
        raw: await composeEml(invite),
        from: 'beta@example.org',
        to: ['tls@example.net'],
      });
      expect(outcome.accepted).toBe(true);
      expect(tls.messages[0]?.secure).toBe(true);
    } finally {
      await tls.close();
    }
  });

  it('upgrades smtp:// with STARTTLS, and insists with requireTLS', async () => {
    const starttls = await startSmtpSink({ starttls: true });
    try {
      const t = transport(starttls.url(undefined, 'requireTLS=true&tls.rejectUnauthorized=false'));
      const outcome = await t.send({
        raw: await composeEml(invite),
        from: 'beta@example.org',
        to: ['starttls@example.net'],
      });
      expect(outcome.accepted).toBe(true);
      expect(starttls.messages[0]?.secure).toBe(true);
    } finally {
      await starttls.close();
    }
  });
});
