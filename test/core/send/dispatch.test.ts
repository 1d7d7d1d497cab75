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

/** `n` messages on disk, handed out as the manifest reader does; `closed` once it is finished. */
function messages(n: number, prefix: string) {
  const state = { handedOut: 0, closed: false };
  function* read(): Generator<PlannedMessage> {
    try {
      for (let i = 0; i < n; i++) {
        const email = `${prefix}${i}@example.org`;
        const raw = Buffer.from(
          `From: beta@example.org\r\nTo: ${email}\r\nSubject: Invitation\r\n\r\nBonjour\r\n`,
        );
        const file = `${String(i).padStart(5, '0')}.eml`;
        fs.writeFileSync(path.join(dir, file), raw);
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
