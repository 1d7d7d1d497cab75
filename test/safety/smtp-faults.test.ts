import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { errorMessage } from '../../src/core/errors.js';
import { parseSmtpUrl } from '../../src/core/transports/smtp-url.js';
import { normalize, runCli, type CliResult } from '../helpers/cli.js';
import { addresses, makeOutdir, readJsonl, type Outdir } from '../helpers/outdir.js';
import { startSmtpSink } from '../helpers/smtp.js';
import { startBusySmtp } from './helpers/busy-smtp.js';
import { startRawSmtp } from './helpers/raw-smtp.js';
import { useTestDatabase } from '../helpers/fixtures.js';

const db = useTestDatabase();

async function folder(n: number, prefix: string): Promise<Outdir> {
  return makeOutdir({ sql: await db.sql(), emails: addresses(n, prefix) });
}

function send(out: Outdir, url: string, ...flags: string[]): Promise<CliResult> {
  return runCli(['send', out.dir, '--confirm', '--smtp', url, ...flags], { db });
}

/**
 * What the operator read, with the folder, port and timings made stable, and the failed
 * messages in address order (they fail concurrently, in any order).
 */
function said(run: CliResult, out: Outdir, port: number): string {
  const text = normalize(`${run.stdout}\n${run.stderr}`, {
    [out.dir]: 'DIR',
    [String(port)]: 'PORT',
  })
    .replace(/in \d+\.\d s \(\d+\.\d\/s\)/g, 'in N s (N/s)')
    .replace(/^sending \d+ message\(s\)…\n?/m, '')
    .trim();
  const lines = text.split('\n');
  const failed = lines.filter((l) => l.startsWith('   failed: ')).sort();
  return lines.map((l) => (l.startsWith('   failed: ') ? failed.shift() : l)).join('\n');
}

/** The counters of a `--json` run. */
function counters(run: CliResult) {
  const { sent, failed, retried, remaining, stopped } = JSON.parse(run.stdout) as Record<
    string,
    unknown
  >;
  return { sent, failed, retried, remaining, stopped };
}

function jsonLines(out: Outdir, name: string): Record<string, unknown>[] {
  return readJsonl(path.join(out.dir, name));
}

/** How many times each recipient of the folder received its message. */
function arrivals(out: Outdir, messages: { to: string[] }[]): number[] {
  return out.entries.map((e) => messages.filter((m) => m.to.includes(e.email)).length);
}

/** Nothing sent, nothing written: the folder is as render left it. */
function untouched(out: Outdir): void {
  expect(fs.existsSync(path.join(out.dir, 'sent.jsonl'))).toBe(false);
  expect(fs.existsSync(path.join(out.dir, 'send-failed.jsonl'))).toBe(false);
}

/** The failure lines in address order, without what varies (ids, times). */
function failures(out: Outdir, port: number) {
  return jsonLines(out, 'send-failed.jsonl')
    .map((f) => ({
      email: String(f.email),
      permanent: f.permanent,
      attempts: f.attempts,
      reason: String(f.reason)
        .replace(String(port), 'PORT')
        // A relay that drops the connection while the client writes: the client sees the
        // end of the stream or a reset, depending on whether its bytes were still unread.
        .replace(
          /^(ECONNECTION: Connection closed unexpectedly|ESOCKET: (read ECONNRESET|write EPIPE))$/,
          'DROPPED (closed unexpectedly, or reset)',
        ),
    }))
    .sort((a, b) => a.email.localeCompare(b.email));
}

// Many runs of the real binary, with real backoff waits: slow on a busy machine.
describe('SMTP faults', { timeout: 300_000 }, () => {
  it('sets finite timeouts by default, and takes others from the URL', () => {
    expect(parseSmtpUrl('smtp://relay.example.org').timeouts).toEqual({
      connectionTimeout: 30_000,
      greetingTimeout: 30_000,
      socketTimeout: 120_000,
    });
    expect(parseSmtpUrl('smtp://h?socketTimeout=1500&greetingTimeout=900').timeouts).toEqual({
      connectionTimeout: 30_000,
      greetingTimeout: 900,
      socketTimeout: 1500,
    });
    const refusals = ['smtp://h?socketTimeout=0', 'smtp://h?greetingTimeout=soon'].map((url) => {
      try {
        return parseSmtpUrl(url) && 'accepted';
      } catch (error) {
        return errorMessage(error);
      }
    });
    expect(refusals).toMatchInlineSnapshot(`
      [
        "the SMTP URL's socketTimeout must be a number of milliseconds from 1 to 3600000 (got "0")",
        "the SMTP URL's greetingTimeout must be a number of milliseconds from 1 to 3600000 (got "soon")",
      ]
    `);
  });

  it('connection refused before anything is sent: one line, exit 1, the folder untouched; the rerun sends', async () => {
    const relay = await startRawSmtp(() => 'ok');
    await relay.refuse();
    const out = await folder(3, 'refused');
    const run = await send(out, relay.url);
    expect(run.exitCode).toBe(1);
    expect(said(run, out, relay.port)).toMatchInlineSnapshot(`
      "beta-invites: cannot connect to the SMTP server at 127.0.0.1:PORT: connection refused
        check that the relay is up and that --smtp / SMTP_URL is right"
    `);
    untouched(out);

    await relay.restart();
    const rerun = await send(out, relay.url);
    expect(rerun.exitCode).toBe(0);
    expect(arrivals(out, relay.messages)).toEqual([1, 1, 1]);
    await relay.close();
  });

  it('connection refused mid-run: retried with backoff, delivered once the relay is back', async () => {
    const relay = await startRawSmtp((n) => {
      // The first connection is send's check; then the relay goes away for 1.5 s.
      if (n === 1) {
        void relay.refuse();
        setTimeout(() => void relay.restart(), 1500);
      }
      return 'ok';
    });
    const out = await folder(3, 'back');
    const run = await send(out, relay.url, '--json');
    expect(run.exitCode).toBe(0);
    const { retried, ...rest } = counters(run);
    expect(rest).toEqual({ sent: 3, failed: 0, remaining: 0, stopped: null });
    // Every message's first attempt was refused.
    expect(retried).toBeGreaterThanOrEqual(3);
    expect(arrivals(out, relay.messages)).toEqual([1, 1, 1]);
    expect(jsonLines(out, 'sent.jsonl')).toHaveLength(3);
    expect(jsonLines(out, 'send-failed.jsonl')).toEqual([]);
    await relay.close();
  });

  it('connection refused for good: each message given up after its retries, recorded as transient, exit 1', async () => {
    const relay = await startRawSmtp((n) => {
      if (n === 1) void relay.refuse();
      return 'ok';
    });
    const out = await folder(2, 'gone');
    const run = await send(out, relay.url, '--retries', '1');
    expect(run.exitCode).toBe(1);
    expect(said(run, out, relay.port)).toMatchInlineSnapshot(`
      "🔴 0 of 2 sent, 2 failed in N s (N/s) through smtp://127.0.0.1:PORT
         failed: gone001@example.net: ESOCKET: connect ECONNREFUSED 127.0.0.1:PORT
         failed: gone002@example.net: ESOCKET: connect ECONNREFUSED 127.0.0.1:PORT
         failures: DIR/send-failed.jsonl
      After fixing the cause, retry the failed ones with (what was sent is skipped):
        beta-invites send DIR --confirm --smtp smtp://127.0.0.1:PORT --retries 1"
    `);
    expect(failures(out, relay.port)).toMatchInlineSnapshot(`
      [
        {
          "attempts": 2,
          "email": "gone001@example.net",
          "permanent": false,
          "reason": "ESOCKET: connect ECONNREFUSED 127.0.0.1:PORT",
        },
        {
          "attempts": 2,
          "email": "gone002@example.net",
          "permanent": false,
          "reason": "ESOCKET: connect ECONNREFUSED 127.0.0.1:PORT",
        },
      ]
    `);

    // The relay is back: the rerun sends exactly the failed ones.
    await relay.restart();
    const rerun = await send(out, relay.url);
    expect(rerun.exitCode).toBe(0);
    expect(arrivals(out, relay.messages)).toEqual([1, 1]);
    await relay.close();
  });

  it('the relay drops the connection in the middle of DATA: retried on a new one, delivered once', async () => {
    const relay = await startRawSmtp((n) => (n === 2 ? 'close-mid-data' : 'ok'));
    const out = await folder(3, 'dropped');
    const run = await send(out, relay.url, '--json');
    expect(run.exitCode).toBe(0);
    expect(counters(run)).toEqual({ sent: 3, failed: 0, retried: 1, remaining: 0, stopped: null });
    expect(relay.connections).toContain('close-mid-data');
    expect(arrivals(out, relay.messages)).toEqual([1, 1, 1]);

    // A relay that always drops: given up after the retries, recorded, nothing crashes.
    const always = await startRawSmtp((n) => (n === 1 ? 'ok' : 'close-mid-data'));
    const out2 = await folder(1, 'alwaysdropped');
    const run2 = await send(out2, always.url, '--retries', '1');
    expect(run2.exitCode).toBe(1);
    expect(failures(out2, always.port)).toMatchInlineSnapshot(`
      [
        {
          "attempts": 2,
          "email": "alwaysdropped001@example.net",
          "permanent": false,
          "reason": "DROPPED (closed unexpectedly, or reset)",
        },
      ]
    `);
    expect(always.messages).toEqual([]);
    await relay.close();
    await always.close();
  });

  it('421 at the greeting: refused up front when the relay is busy, retried when it gets busy mid-run', async () => {
    const busy = await startBusySmtp({ busy: () => true });
    const out = await folder(2, 'busy');
    const run = await send(out, busy.url());
    expect(run.exitCode).toBe(1);
    expect(said(run, out, busy.port)).toMatchInlineSnapshot(`
      "beta-invites: the SMTP server at 127.0.0.1:PORT is not accepting mail right now: 421 Too busy, try again later
        a temporary refusal, and nothing was sent: run the same command again later"
    `);
    untouched(out);
    await busy.close();

    // Busy for the two connections after send's check, then fine.
    const flaky = await startBusySmtp({ busy: (n) => n === 2 || n === 3 });
    const run2 = await send(out, flaky.url(), '--json');
    expect(run2.exitCode).toBe(0);
    const { retried, ...rest } = counters(run2);
    expect(rest).toEqual({ sent: 2, failed: 0, remaining: 0, stopped: null });
    expect(retried).toBeGreaterThanOrEqual(1);
    expect(arrivals(out, flaky.messages)).toEqual([1, 1]);
    await flaky.close();
  });

  it('a relay that stalls: the timeouts end each attempt, it is retried, and the run ends', async () => {
    // Silent from the start: send's check gives up after the greeting timeout.
    const silent = await startRawSmtp(() => 'silent');
    const out = await folder(2, 'stall');
    const run = await send(out, `${silent.url}?greetingTimeout=1000`);
    expect(run.exitCode).toBe(1);
    expect(said(run, out, silent.port)).toMatchInlineSnapshot(`
      "beta-invites: cannot connect to the SMTP server at 127.0.0.1:PORT: no greeting within 1 s
        check that the relay is up and that --smtp / SMTP_URL is right"
    `);
    untouched(out);
    await silent.close();

    // One connection never answers the end of DATA: the socket timeout ends it; retried.
    const once = await startRawSmtp((n) => (n === 2 ? 'stall-after-data' : 'ok'));
    const run2 = await send(out, `${once.url}?socketTimeout=1500`, '--json');
    expect(run2.exitCode).toBe(0);
    expect(counters(run2)).toEqual({ sent: 2, failed: 0, retried: 1, remaining: 0, stopped: null });
    expect(arrivals(out, once.messages)).toEqual([1, 1]);
    await once.close();

    // Every connection stalls: each message is given up after its retries; the run ends.
    const stuck = await startRawSmtp((n) => (n === 1 ? 'ok' : 'stall-after-data'));
    const out3 = await folder(1, 'stuck');
    const run3 = await send(out3, `${stuck.url}?socketTimeout=1000`, '--retries', '1');
    expect(run3.exitCode).toBe(1);
    expect(failures(out3, stuck.port)).toMatchInlineSnapshot(`
      [
        {
          "attempts": 2,
          "email": "stuck001@example.net",
          "permanent": false,
          "reason": "ETIMEDOUT: Timeout",
        },
      ]
    `);
    await stuck.close();
  });

  it('TLS required but not offered: refused before anything is sent, and says why', async () => {
    const plain = await startSmtpSink();
    const relay = await startRawSmtp(() => 'ok');
    const out = await folder(1, 'tls');
    const login = 'beta:s3cret-pw@';
    const runs = [
      await send(out, `smtps://${login}127.0.0.1:${plain.port}`),
      await send(out, `smtp://${login}127.0.0.1:${relay.port}?requireTLS=true`),
    ];
    expect(runs.map((r) => r.exitCode)).toEqual([1, 1]);
    expect(said(runs[0] as CliResult, out, plain.port)).toMatchInlineSnapshot(`
      "beta-invites: cannot connect to the SMTP server at 127.0.0.1:PORT: TLS failed (the server does not speak TLS on this port)
        smtps:// needs a TLS port (465); for a test relay with a self-signed certificate add ?tls.rejectUnauthorized=false"
    `);
    expect(said(runs[1] as CliResult, out, relay.port)).toMatchInlineSnapshot(`
      "beta-invites: the SMTP server at 127.0.0.1:PORT does not offer STARTTLS, which the SMTP URL requires (requireTLS=true)
        nothing was sent; use the relay's STARTTLS port (usually 587) or smtps://HOST:465"
    `);
    untouched(out);
    expect(plain.messages).toEqual([]);
    expect(relay.logins).toEqual([]);
    await plain.close();
    await relay.close();
  });

  const external = Object.values(os.networkInterfaces())
    .flat()
    .find((a) => a?.family === 'IPv4' && !a.internal)?.address;

  it.runIf(external)(
    'a password for another machine is never sent in clear: a relay without STARTTLS is refused',
    async () => {
      const relay = await startRawSmtp(() => 'ok', external);
      const out = await folder(1, 'clear');
      const url = `smtp://beta:s3cret-pw@${relay.host}:${relay.port}`;
      const run = await send(out, url);
      expect(run.exitCode).toBe(1);
      expect(said(run, out, relay.port).replace(relay.host, 'HOST')).toMatchInlineSnapshot(`
        "beta-invites: the SMTP server at HOST:PORT does not offer STARTTLS: the password would cross the network in clear
          nothing was sent; use the relay's STARTTLS port (usually 587) or smtps://HOST:465 (?ignoreTLS=true sends it in clear anyway: only on a network you trust)"
      `);
      expect(relay.logins).toEqual([]);
      untouched(out);

      // Said explicitly, it is allowed (a trusted network); so is a relay on this machine.
      const run2 = await send(out, `${url}?ignoreTLS=true`);
      expect(run2.exitCode).toBe(0);
      // Once for send's check, once on the connection that sent.
      expect(relay.logins).toHaveLength(2);
      expect(arrivals(out, relay.messages)).toEqual([1]);
      await relay.close();
    },
  );

  it('auth failure (535): refused up front; when the password changes mid-run, recorded, exit 1', async () => {
    const relay = await startBusySmtp({ login: (_n, user, pass) => pass === 'right-pw' });
    const out = await folder(2, 'auth');
    const run = await send(out, relay.url({ user: 'beta', pass: 'wrong-pw' }));
    expect(run.exitCode).toBe(1);
    expect(said(run, out, relay.port)).toMatchInlineSnapshot(`
      "beta-invites: the SMTP server at 127.0.0.1:PORT refused the login of "beta": 535 Authentication failed
        check the user and password in the SMTP URL"
    `);
    untouched(out);
    await relay.close();

    // The first login (send's check) passes, then the password is revoked.
    const rotated = await startBusySmtp({ login: (n) => n === 1 });
    const run2 = await send(out, rotated.url({ user: 'beta', pass: 'right-pw' }));
    expect(run2.exitCode).toBe(1);
    expect(said(run2, out, rotated.port)).toMatchInlineSnapshot(`
      "🔴 0 of 2 sent, 2 failed in N s (N/s) through smtp://beta:***@127.0.0.1:PORT
         failed: auth001@example.net: AUTH PLAIN: 535 Authentication failed
         failed: auth002@example.net: AUTH PLAIN: 535 Authentication failed
         failures: DIR/send-failed.jsonl
      After fixing the cause, retry the failed ones with (what was sent is skipped):
        beta-invites send DIR --confirm --smtp 'smtp://beta:***@127.0.0.1:PORT'"
    `);
    expect(failures(out, rotated.port)).toMatchInlineSnapshot(`
      [
        {
          "attempts": 1,
          "email": "auth001@example.net",
          "permanent": true,
          "reason": "AUTH PLAIN: 535 Authentication failed",
        },
        {
          "attempts": 1,
          "email": "auth002@example.net",
          "permanent": true,
          "reason": "AUTH PLAIN: 535 Authentication failed",
        },
      ]
    `);
    expect(rotated.messages).toEqual([]);
    await rotated.close();

    // With a login that works, the rerun sends the ones that failed.
    const fixed = await startBusySmtp({});
    const run3 = await send(out, fixed.url({ user: 'beta', pass: 'right-pw' }));
    expect(run3.exitCode).toBe(0);
    expect(arrivals(out, fixed.messages)).toEqual([1, 1]);
    await fixed.close();
  });
});
