import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dispatch, type DispatchOptions } from '../../../src/core/send/dispatch.js';
import { DurableLog } from '../../../src/core/send/durable-log.js';
import type { FailedLine, SentLine } from '../../../src/core/send/ledger.js';
import type { PlannedMessage } from '../../../src/core/send/planned.js';
import { createSmtpTransport } from '../../../src/core/transports/smtp.js';
import { useSmtpSink } from '../../helpers/fixtures.js';

const sink = useSmtpSink();
let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-dispatch-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const options: DispatchOptions = {
  concurrency: 2,
  retries: 0,
  maxErrors: 3,
  ratePerSecond: undefined,
  retryBaseMs: 1,
  retryMaxMs: 1,
};

/**
 * `n` messages on disk, handed out as the manifest reader does; `closed` once it is
 * finished. `edit(i, raw)` may give a file other bytes than those checked (or none).
 */
function messages(n: number, prefix: string, edit?: (i: number, raw: Buffer) => Buffer | null) {
  const state = { handedOut: 0, closed: false };
  function* read(): Generator<PlannedMessage> {
    try {
      for (let i = 0; i < n; i++) {
        const email = `${prefix}${i}@example.org`;
        const raw = Buffer.from(
          `From: beta@example.org\r\nTo: ${email}\r\nSubject: Invitation\r\n\r\nBonjour\r\n`,
        );
        const file = `${String(i).padStart(5, '0')}.eml`;
        const onDisk = edit ? edit(i, raw) : raw;
        if (onDisk !== null) fs.writeFileSync(path.join(dir, file), onDisk);
        state.handedOut++;
        yield {
          inviteId: crypto.randomUUID(),
          email,
          file,
          path: path.join(dir, file),
          sha256: crypto.createHash('sha256').update(raw).digest('hex'),
        };
      }
    } finally {
      state.closed = true;
    }
  }
  return { iterator: read(), state };
}

async function run(iterator: Iterator<PlannedMessage>, total: number, signal: AbortSignal) {
  const transport = createSmtpTransport({ url: sink.url(), connections: options.concurrency });
  const sentLog = await DurableLog.open<SentLine>(path.join(dir, 'sent.jsonl'));
  const failedLog = await DurableLog.open<FailedLine>(path.join(dir, 'send-failed.jsonl'));
  try {
    return await dispatch(iterator, total, options, {
      transport,
      sentLog,
      failedLog,
      clock: () => new Date(),
      signal,
      redact: (text) => text,
    });
  } finally {
    await sentLog.close();
    await failedLog.close();
    await transport.close();
  }
}

describe('dispatch stopped before the end of the manifest', () => {
  it('closes the manifest reader when the relay refuses too many in a row', async () => {
    const { iterator, state } = messages(50, 'refused');
    for (let i = 0; i < 50; i++) sink.answer(`refused${i}@example.org`, [550]);
    const result = await run(iterator, 50, new AbortController().signal);
    expect(result.stopped).toMatch(/^3 consecutive failures \(last: refused\d@example\.org: /);
    expect(result.sent).toBe(0);
    expect(state.handedOut).toBeLessThan(50);
    expect(state.closed).toBe(true);
  });

  it('closes the manifest reader on Ctrl-C, with what was sent recorded', async () => {
    const { iterator, state } = messages(50, 'stopped');
    const stop = new AbortController();
    const running = run(iterator, 50, stop.signal);
    await sink.waitForMessages(5);
    stop.abort();
    const result = await running;
    expect(result.remaining).toBeGreaterThan(0);
    expect(state.handedOut).toBeLessThan(50);
    expect(state.closed).toBe(true);
    const ledger = fs.readFileSync(path.join(dir, 'sent.jsonl'), 'utf8').trim().split('\n');
    expect(ledger).toHaveLength(result.sent);
  });

  it('reads the manifest to its end when everything is sent', async () => {
    const { iterator, state } = messages(10, 'whole');
    const result = await run(iterator, 10, new AbortController().signal);
    expect(result).toMatchObject({ sent: 10, failed: 0, remaining: 0 });
    expect(state).toEqual({ handedOut: 10, closed: true });
  });
});

describe('dispatch of files changed after the check', () => {
  it('does not send a file whose bytes are not those checked: a permanent failure, the others go', async () => {
    const { iterator } = messages(6, 'edited', (i, raw) =>
      i === 3 ? Buffer.from(raw.toString().replace('Bonjour', 'Bonsoir')) : raw,
    );
    const result = await run(iterator, 6, new AbortController().signal);
    expect(result).toMatchObject({ sent: 5, failed: 1, remaining: 0 });
    expect(result.failures).toMatchInlineSnapshot(`
      [
        {
          "email": "edited3@example.org",
          "reason": "the file changed during the run; check it, then rerun",
        },
      ]
    `);
    expect(sink.receivedBy('edited3@example.org')).toHaveLength(0);
    expect(sink.receivedBy('edited4@example.org')).toHaveLength(1);
    const [failed] = fs
      .readFileSync(path.join(dir, 'send-failed.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as FailedLine);
    expect(failed).toMatchObject({ email: 'edited3@example.org', permanent: true, attempts: 0 });
  });

  it('stops at a file gone since the check, with what was sent before it recorded', async () => {
    const { iterator, state } = messages(20, 'gone', (i, raw) => (i === 10 ? null : raw));
    const running = run(iterator, 20, new AbortController().signal);
    await expect(running).rejects.toThrow(
      /^ENOENT: no such file or directory, open '.*00010\.eml'$/,
    );
    expect(state.closed).toBe(true);
    const ledger = fs.readFileSync(path.join(dir, 'sent.jsonl'), 'utf8').trim().split('\n');
    const sent = ledger.map((line) => (JSON.parse(line) as SentLine).email);
    expect(sent).not.toContain('gone10@example.org');
    expect(sent.length).toBeGreaterThanOrEqual(8);
    expect(sink.receivedBy('gone10@example.org')).toHaveLength(0);
  });
});
