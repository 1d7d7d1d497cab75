import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DurableLog } from '../../../src/core/send/durable-log.js';
import { readSentLedger } from '../../../src/core/send/ledger.js';

function tempFile(name: string): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bi-log-')), name);
}

describe('DurableLog', () => {
  it('appends one JSON line per value; concurrent appends share a write+fsync', async () => {
    const file = tempFile('log.jsonl');
    const batches: number[][] = [];
    const log = await DurableLog.open<{ n: number }>(file, (values) =>
      batches.push(values.map((v) => v.n)),
    );
    expect(fs.existsSync(file)).toBe(true);
    await Promise.all([1, 2, 3, 4, 5].map((n) => log.append({ n })));
    await log.append({ n: 6 });
    await log.close();
    expect(fs.readFileSync(file, 'utf8')).toBe(
      [1, 2, 3, 4, 5, 6].map((n) => `{"n":${n}}\n`).join(''),
    );
    // The five appends of one tick went out together; the sixth on its own.
    expect(batches).toEqual([[1, 2, 3, 4, 5], [6]]);
  });

  it('group commit: writes once `lines` lines wait, without waiting for the timer', async () => {
    const file = tempFile('log.jsonl');
    const batches: number[][] = [];
    const log = await DurableLog.open<{ n: number }>(
      file,
      (values) => batches.push(values.map((v) => v.n)),
      // A timer this long would time the test out: only the count can write these.
      { lines: 3, ms: 600_000 },
    );
    const first = log.append({ n: 1 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(batches).toEqual([]);
    await Promise.all([first, log.append({ n: 2 }), log.append({ n: 3 })]);
    expect(batches).toEqual([[1, 2, 3]]);
    await log.close();
  });

  it('group commit: writes fewer than `lines` lines once `ms` have passed', async () => {
    const file = tempFile('log.jsonl');
    const batches: number[][] = [];
    const log = await DurableLog.open<{ n: number }>(
      file,
      (values) => batches.push(values.map((v) => v.n)),
      { lines: 1_000, ms: 10 },
    );
    await Promise.all([log.append({ n: 1 }), log.append({ n: 2 })]);
    await log.append({ n: 3 });
    await log.close();
    expect(batches).toEqual([[1, 2], [3]]);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
  });

  it('group commit: flush() writes the waiting lines at once', async () => {
    const file = tempFile('log.jsonl');
    const batches: number[][] = [];
    const log = await DurableLog.open<{ n: number }>(
      file,
      (values) => batches.push(values.map((v) => v.n)),
      { lines: 1_000, ms: 600_000 },
    );
    const appended = Promise.all([log.append({ n: 1 }), log.append({ n: 2 })]);
    log.flush();
    await appended;
    expect(batches).toEqual([[1, 2]]);
    await log.close();
  });

  it('resolves an append only after its batch is durable (the callback runs first)', async () => {
    const file = tempFile('log.jsonl');
    const seen: string[] = [];
    const log = await DurableLog.open<{ n: number }>(file, () =>
      seen.push(fs.readFileSync(file, 'utf8')),
    );
    await log.append({ n: 1 });
    expect(seen).toEqual(['{"n":1}\n']);
    await log.close();
  });

  it('keeps what was there and cuts a torn last line left by a crash', async () => {
    const file = tempFile('sent.jsonl');
    fs.writeFileSync(file, '{"n":1}\n{"n":2}\n{"n":');
    const log = await DurableLog.open<{ n: number }>(file);
    await log.append({ n: 3 });
    await log.close();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"n":1}\n{"n":2}\n{"n":3}\n');
    fs.writeFileSync(file, 'torn without any newline');
    await (await DurableLog.open(file)).close();
    expect(fs.readFileSync(file, 'utf8')).toBe('');
  });

  it('refuses a link planted as the log, leaving its target untouched', async () => {
    const file = tempFile('sent.jsonl');
    const target = tempFile('elsewhere.txt');
    fs.writeFileSync(target, 'precious\nno newline at the end');
    fs.symlinkSync(target, file);
    await expect(DurableLog.open(file)).rejects.toThrow(`${file} is a symbolic link`);
    fs.rmSync(file);
    fs.symlinkSync(path.join(path.dirname(file), 'dangling'), file);
    await expect(DurableLog.open(file)).rejects.toThrow(`${file} is a symbolic link`);
    expect(fs.existsSync(path.join(path.dirname(file), 'dangling'))).toBe(false);
    expect(fs.readFileSync(target, 'utf8')).toBe('precious\nno newline at the end');
    expect(() => readSentLedger(path.dirname(file))).toThrow(`${file} is a symbolic link`);
  });

  it('rejects appends once the file cannot be written', async () => {
    const file = tempFile('log.jsonl');
    const log = await DurableLog.open<{ n: number }>(file);
    await log.close();
    await expect(log.append({ n: 1 })).rejects.toThrow();
    await expect(log.append({ n: 2 })).rejects.toThrow();
  });
});

describe('readSentLedger', () => {
  it('maps invite ids to their acceptance time; refuses a line that is not a ledger entry', () => {
    const dir = path.dirname(tempFile('x'));
    const line = {
      inviteId: 'i1',
      email: 'a@b.org',
      file: 'f.eml',
      sha256: 'x',
      transport: 't',
      response: '250',
      at: '2026-05-01T09:00:00.000Z',
    };
    fs.writeFileSync(
      path.join(dir, 'sent.jsonl'),
      JSON.stringify(line) + '\n' + '{"inviteId":"i2","ema',
    );
    expect([...readSentLedger(dir)]).toEqual([['i1', '2026-05-01T09:00:00.000Z']]);
    fs.writeFileSync(path.join(dir, 'sent.jsonl'), '{"hello":1}\n');
    expect(() => readSentLedger(dir)).toThrow(`${dir}/sent.jsonl: line 1 is not a ledger entry`);
  });
});
