import fs from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize, runCli, type CliResult } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { addresses, makeOutdir, type Outdir } from '../helpers/outdir.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp.js';

let db: TestDatabase;
let sink: SmtpSink;

beforeAll(async () => {
  db = await createTestDatabase();
  sink = await startSmtpSink({ users: { beta: 'right-password' } });
});
afterAll(async () => {
  await sink.close();
  await db.drop();
});

/** A port on 127.0.0.1 that nothing listens on: bound by the system, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function said(run: CliResult, replacements: Record<string, string>): string {
  return normalize(run.stderr, replacements);
}

/** The folder as render left it: the same files, byte for byte. */
function snapshotOf(out: Outdir): Record<string, string> {
  return Object.fromEntries(
    fs.readdirSync(out.dir).map((f) => [f, fs.readFileSync(`${out.dir}/${f}`, 'utf8')]),
  );
}

// Two runs of the real binary per case: a dry run, then the real run it stands for.
describe('send: the dry run checks the transport as a real run does', { timeout: 240_000 }, () => {
  it('an SMTP relay that is down: exit 1, the same message, nothing written', async () => {
    const out = await makeOutdir({ sql: await db.sql(), emails: addresses(3, 'down') });
    const before = snapshotOf(out);
    const port = String(await closedPort());
    const url = `smtp://127.0.0.1:${port}`;
    const dry = await runCli(['send', out.dir, '--smtp', url], { db });
    const real = await runCli(['send', out.dir, '--confirm', '--smtp', url], { db });
    expect([dry.exitCode, real.exitCode]).toEqual([1, 1]);
    expect(dry.stdout).toBe('');
    expect(said(dry, { [port]: 'PORT' })).toMatchInlineSnapshot(`
      "beta-invites: cannot connect to the SMTP server at 127.0.0.1:PORT: connection refused
        check that the relay is up and that --smtp / SMTP_URL is right"
    `);
    expect(said(dry, {})).toBe(said(real, {}));
    expect(snapshotOf(out)).toEqual(before);
  });

  it('a refused login: exit 1, the same message, nothing sent', async () => {
    const out = await makeOutdir({ sql: await db.sql(), emails: addresses(2, 'login') });
    const before = snapshotOf(out);
    const url = sink.url({ user: 'beta', pass: 'wrong-password' });
    const dry = await runCli(['send', out.dir, '--smtp', url], { db });
    const real = await runCli(['send', out.dir, '--confirm', '--smtp', url], { db });
    expect([dry.exitCode, real.exitCode]).toEqual([1, 1]);
    expect(said(dry, { [String(sink.port)]: 'PORT' })).toMatchInlineSnapshot(`
      "beta-invites: the SMTP server at 127.0.0.1:PORT refused the login of "beta": 535 Authentication failed
        check the user and password in the SMTP URL"
    `);
    expect(said(dry, {})).toBe(said(real, {}));
    expect(sink.messages).toHaveLength(0);
    expect(snapshotOf(out)).toEqual(before);
  });

  it('a send command that is not installed: exit 1, the same message', async () => {
    const out = await makeOutdir({ sql: await db.sql(), emails: addresses(2, 'nocmd') });
    const before = snapshotOf(out);
    const env = { SEND_CMD: 'no-such-sendmail --flag' };
    const dry = await runCli(['send', out.dir], { db, env });
    const real = await runCli(['send', out.dir, '--confirm'], { db, env });
    expect([dry.exitCode, real.exitCode]).toEqual([1, 1]);
    expect(said(dry, {})).toMatchInlineSnapshot(`
      "beta-invites: the send command "no-such-sendmail" was not found on PATH
        install it (e.g. apt-get install msmtp), or pass --send-cmd / SEND_CMD, or use --smtp URL"
    `);
    expect(said(dry, {})).toBe(said(real, {}));
    expect(snapshotOf(out)).toEqual(before);
  });

  it('a relay that answers and accepts the login: the dry run still exits 0', async () => {
    const out = await makeOutdir({ sql: await db.sql(), emails: addresses(2, 'fine') });
    const url = sink.url({ user: 'beta', pass: 'right-password' });
    const dry = await runCli(['send', out.dir, '--smtp', url], { db });
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toContain('Dry run: nothing was sent.');
    expect(sink.messages).toHaveLength(0);
  });
});
