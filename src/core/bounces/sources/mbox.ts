import fs from 'node:fs';
import { errnoCode, UserError } from '../../errors.js';
import type { RawMessage } from './source.js';

/** One message being gathered from the mbox. */
interface Pending {
  number: number;
  line: number;
  chunks: Buffer[];
  size: number;
}

/** Lines of a stream, each without its `\n` (a final line without one included). */
async function* lines(stream: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let rest = Buffer.alloc(0);
  for await (const chunk of stream) {
    let data = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    let nl: number;
    while ((nl = data.indexOf(10)) >= 0) {
      yield data.subarray(0, nl);
      data = data.subarray(nl + 1);
    }
    rest = Buffer.from(data);
  }
  if (rest.length > 0) yield rest;
}

const FROM = Buffer.from('From ');
const QUOTED_FROM = /^>+From /;

function finish(p: Pending, label: string, max: number): RawMessage {
  const where = `${label}, message ${p.number} (line ${p.line})`;
  return {
    where,
    raw: p.size > max ? null : Buffer.concat(p.chunks),
    size: p.size,
    arrivedAt: null,
  };
}

/**
 * Streams an mbox (mboxo or mboxrd): a message starts at a `From ` line at the top or after
 * an empty line; `>From ` lines lose one `>`. A message over `max` bytes is not kept.
 */
export async function* readMbox(
  file: string,
  label: string,
  max: number,
): AsyncGenerator<RawMessage> {
  let current: Pending | undefined;
  let count = 0;
  let lineNo = 0;
  let previousEmpty = true;
  try {
    for await (const line of lines(fs.createReadStream(file))) {
      lineNo++;
      if (previousEmpty && line.subarray(0, 5).equals(FROM)) {
        if (current) yield finish(current, label, max);
        current = { number: ++count, line: lineNo, chunks: [], size: 0 };
        previousEmpty = false;
        continue;
      }
      previousEmpty = line.length === 0 || (line.length === 1 && line[0] === 13);
      if (!current) continue;
      const head = line.subarray(0, 40).toString('latin1');
      const text = QUOTED_FROM.test(head) ? line.subarray(1) : line;
      current.size += text.length + 1;
      if (current.size <= max) current.chunks.push(Buffer.from(text), NEWLINE);
    }
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${label} cannot be read (${errnoCode(error) ?? String(error)})`, {
      hint: 'check the path and its permissions',
      cause: error,
    });
  }
  if (current) yield finish(current, label, max);
}

const NEWLINE = Buffer.from('\n');
