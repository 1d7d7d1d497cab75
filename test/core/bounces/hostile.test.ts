import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseMessage } from '../../../src/core/bounces/parse-bounce.js';
import { openLocalSource } from '../../../src/core/bounces/sources/files.js';
import { MAX_MESSAGE_BYTES, type RawMessage } from '../../../src/core/bounces/sources/source.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-hostile-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const HEAD =
  'From: MAILER-DAEMON@evil.example\nMessage-ID: <evil@x>\nMIME-Version: 1.0\n' +
  'Content-Type: multipart/report; report-type=delivery-status; boundary="B"\n\n';

async function all(target: string, max = MAX_MESSAGE_BYTES): Promise<RawMessage[]> {
  const out: RawMessage[] = [];
  for await (const m of openLocalSource(target, path.basename(target), max).messages()) out.push(m);
  return out;
}

describe('hostile bounces', () => {
  it('does not read a message over the size limit', async () => {
    const file = path.join(tmp, 'huge.eml');
    fs.writeFileSync(file, HEAD + '--B\n' + 'x'.repeat(MAX_MESSAGE_BYTES + 10) + '\n');
    const [message] = await all(file);
    expect(message?.raw).toBeNull();
    expect(message?.size).toBeGreaterThan(MAX_MESSAGE_BYTES);
  });

  it('keeps an mbox message over the limit out of memory, and reads the next one', async () => {
    const file = path.join(tmp, 'big.mbox');
    const big = 'Subject: big\n\n' + 'y'.repeat(5_000) + '\n';
    const small = 'Subject: small\n\n>From the body, quoted\nFrom here too\n';
    fs.writeFileSync(
      file,
      `From a Fri Dec  4 10:00:00 2026\n${big}\nFrom b Fri Dec  4 10:00:00 2026\n${small}`,
    );
    const [first, second] = await all(file, 1_000);
    expect(first?.raw).toBeNull();
    expect(second?.raw?.toString()).toBe(
      'Subject: small\n\nFrom the body, quoted\nFrom here too\n',
    );
  });

  it('calls nesting beyond the parser limits broken MIME, quickly', async () => {
    let body = '';
    for (let i = 0; i < 1_500; i++)
      body += `--B${i}\nContent-Type: multipart/mixed; boundary="B${i + 1}"\n\n`;
    const raw = Buffer.from(HEAD.replace('"B"', '"B0"') + body);
    const started = Date.now();
    const parsed = await parseMessage(raw);
    expect(parsed).toMatchObject({ type: 'unreadable', messageId: '<evil@x>' });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reads a report with 50,000 recipient groups as one bounce, its worst', async () => {
    const groups = Array.from(
      { length: 50_000 },
      (_, i) =>
        `Final-Recipient: rfc822; r${i}@x\nAction: failed\nStatus: ${i === 49_999 ? '5.1.1' : '4.4.1'}\n`,
    ).join('\n');
    const raw = Buffer.from(
      HEAD +
        `--B\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; x\n\n${groups}\n--B--\n`,
    );
    const parsed = await parseMessage(raw);
    expect(parsed.type === 'bounce' && [parsed.bounce.status, parsed.bounce.recipient]).toEqual([
      '5.1.1',
      'r49999@x',
    ]);
  });

  it('survives a header block over 1 MB and binary garbage', async () => {
    const long = Buffer.from(
      HEAD.replace('MIME-Version', `X-Long: ${'z'.repeat(1_200_000)}\nMIME-Version`),
    );
    // Past its first megabyte a header block is not read: not taken for a bounce.
    expect((await parseMessage(long)).type).toBe('not-bounce');
    const garbage = Buffer.concat([
      Buffer.from(HEAD),
      Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256)),
    ]);
    expect((await parseMessage(garbage)).type).toBe('unreadable');
  });
});
