import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorMessage } from '../../../src/core/errors.js';
import {
  createCommandTransport,
  findExecutable,
  isTransient,
  parseCommandLine,
} from '../../../src/core/transports/command.js';
import { composeEml } from '../../helpers/outdir.js';
import { fakeSendmail, readSendmailSink } from '../../helpers/smtp.js';

const invite = {
  id: '1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0',
  code: 'ABCDEFGHJKMNPQRS',
  email: 'erin@example.net',
};
let dir: string;
const saved = { ...process.env };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-cmd-'));
  // The spawned program inherits this process's environment.
  process.env.FAKE_SENDMAIL_DIR = dir;
});
afterEach(() => {
  for (const key of ['FAKE_SENDMAIL_DIR', 'FAKE_SENDMAIL_RULES', 'FAKE_SENDMAIL_DELAY_MS']) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

function command(commandLine: string, timeoutMs?: number) {
  return createCommandTransport({ commandLine, searchPath: process.env.PATH, cwd: dir, timeoutMs });
}

describe('the command transport', () => {
  it('pipes the exact bytes and passes -i -f FROM -- TO after the configured arguments', async () => {
    const t = command(`"${fakeSendmail}" -C "/etc/msmtp rc"`);
    await t.verify();
    const raw = await composeEml(invite);
    expect(await t.send({ raw, from: 'beta@example.org', to: ['erin@example.net'] })).toEqual({
      accepted: true,
      response: 'fake-sendmail.js exit 0',
    });
    const [got] = readSendmailSink(dir);
    expect(got?.raw.equals(raw)).toBe(true);
    const meta = fs.readdirSync(dir).find((n) => n.endsWith('.json')) ?? '';
    expect(
      (JSON.parse(fs.readFileSync(path.join(dir, meta), 'utf8')) as { args: string[] }).args,
    ).toEqual(['-C', '/etc/msmtp rc', '-i', '-f', 'beta@example.org', '--', 'erin@example.net']);
  });

  it('calls exit 75 transient and any other failure permanent, keeping stderr', async () => {
    process.env.FAKE_SENDMAIL_RULES = JSON.stringify({
      'busy@example.net': [75],
      'gone@example.net': [1],
    });
    const t = command(fakeSendmail);
    const raw = Buffer.from('To: x\r\n\r\nx\r\n');
    expect(await t.send({ raw, from: 'beta@example.org', to: ['busy@example.net'] })).toEqual({
      accepted: false,
      transient: true,
      reason:
        'fake-sendmail.js exited with 75: fake-sendmail: relay busy, try later for <busy@example.net>',
    });
    expect(await t.send({ raw, from: 'beta@example.org', to: ['gone@example.net'] })).toEqual({
      accepted: false,
      transient: false,
      reason:
        'fake-sendmail.js exited with 1: fake-sendmail: mailbox unavailable for <gone@example.net>',
    });
  });

  it('kills a command that hangs and calls it transient', async () => {
    process.env.FAKE_SENDMAIL_DELAY_MS = '30000';
    const outcome = await command(fakeSendmail, 300).send({
      raw: Buffer.from('x'),
      from: 'a@b.org',
      to: ['c@d.org'],
    });
    expect(outcome).toEqual({
      accepted: false,
      transient: true,
      reason: 'fake-sendmail.js timed out after 300 ms; fake-sendmail.js was killed by SIGTERM',
    });
    expect(readSendmailSink(dir)).toEqual([]);
  });

  it('refuses, before sending, a command that is not there or cannot be read', async () => {
    const messages = [];
    for (const line of ['no-such-sendmail -t', './bin/sendmail', "msmtp 'unterminated", '   ']) {
      try {
        await command(line).verify();
        messages.push('verified');
      } catch (error) {
        messages.push(errorMessage(error));
      }
    }
    expect(messages).toMatchInlineSnapshot(`
      [
        "the send command "no-such-sendmail" was not found on PATH",
        "the send command "./bin/sendmail" was not found",
        "the send command "msmtp 'unterminated" cannot be read: unterminated single quote",
        "the send command is empty",
      ]
    `);
  });
});

describe('findExecutable', () => {
  it('searches PATH for a bare name, the current folder for a path', () => {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.copyFileSync(fakeSendmail, path.join(bin, 'sendmail'));
    fs.chmodSync(path.join(bin, 'sendmail'), 0o755);
    fs.writeFileSync(path.join(bin, 'not-executable'), '');
    expect(findExecutable('sendmail', `/nonexistent${path.delimiter}${bin}`, '/')).toBe(
      path.join(bin, 'sendmail'),
    );
    expect(findExecutable('./bin/sendmail', undefined, dir)).toBe(path.join(bin, 'sendmail'));
    expect(findExecutable('not-executable', bin, '/')).toBeUndefined();
    expect(findExecutable('bin', dir, '/')).toBeUndefined();
  });

  it('splits a command line like a shell, without expanding anything', () => {
    expect(parseCommandLine(`msmtp --account="launch day" -C '~/my rc' $HOME`)).toEqual([
      'msmtp',
      '--account=launch day',
      '-C',
      '~/my rc',
      '$HOME',
    ]);
  });
});

describe('isTransient', () => {
  it("trusts msmtp's last server reply over its exit status, then EX_TEMPFAIL", () => {
    const said = (code: string) =>
      `msmtp: recipient address a@b.c not accepted by the server\nmsmtp: server message: ${code} Try later\n`;
    expect(isTransient(69, said('451'))).toBe(true);
    expect(isTransient(65, said('550'))).toBe(false);
    expect(isTransient(75, said('554'))).toBe(false);
    expect(isTransient(69, said('250') + said('421'))).toBe(true);
    expect(isTransient(75, 'sendmail: queue busy')).toBe(true);
    expect(isTransient(1, 'error')).toBe(false);
    expect(isTransient(null, '')).toBe(true);
  });
});
