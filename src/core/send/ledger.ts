import path from 'node:path';
import { z } from 'zod';
import { UserError, errorMessage } from '../errors.js';
import { DamagedLineError, OUTDIR } from '../outdir/files.js';
import { jsonLines, type JsonLine } from '../outdir/json-lines.js';
import { assertPlainLog } from './no-follow.js';

/** One line of `DIR/sent.jsonl`: a message the transport accepted, durable before it counts. */
export const sentLine = z.object({
  inviteId: z.string(),
  email: z.string(),
  file: z.string(),
  /** sha256 of the bytes actually sent (differs from the manifest's with --accept-edits). */
  sha256: z.string(),
  /** The transport, password masked. */
  transport: z.string(),
  /** What the relay or command answered. */
  response: z.string(),
  /** When it was accepted (ISO 8601). */
  at: z.string(),
});
export type SentLine = z.infer<typeof sentLine>;

/** One line of `DIR/send-failed.jsonl`: a message given up on, with why. */
export interface FailedLine {
  inviteId: string;
  email: string;
  file: string;
  /** The last answer of the transport (password masked). */
  reason: string;
  /** False when retries ran out on a transient failure. */
  permanent: boolean;
  attempts: number;
  transport: string;
  at: string;
}

/** Each entry of `DIR/sent.jsonl` in order (read a block at a time), refusing damage. */
function* ledgerLines(dir: string): Generator<SentLine> {
  const file = path.join(dir, OUTDIR.sent);
  // send-failed.jsonl is only appended to, but a link there must stop the run as early.
  assertPlainLog(file);
  assertPlainLog(path.join(dir, OUTDIR.sendFailed));
  const lines = jsonLines(file);
  for (;;) {
    let next: IteratorResult<JsonLine>;
    try {
      next = lines.next();
    } catch (error) {
      if (!(error instanceof DamagedLineError)) {
        throw new UserError(`cannot read ${file}: ${errorMessage(error)}`);
      }
      throw new UserError(`${file}: line ${error.line} is damaged (not JSON)`, {
        hint: 'inspect it: it records what was sent, do not delete it',
      });
    }
    if (next.done === true) return;
    const line = sentLine.safeParse(next.value.value);
    if (!line.success) {
      throw new UserError(`${file}: line ${next.value.index + 1} is not a ledger entry`, {
        hint: 'inspect it: it records what was sent, do not delete it',
      });
    }
    yield line.data;
  }
}

/** The invites already in `DIR/sent.jsonl`, with when they were accepted. */
export function readSentLedger(dir: string): Map<string, string> {
  const sent = new Map<string, string>();
  for (const line of ledgerLines(dir))
    if (!sent.has(line.inviteId)) sent.set(line.inviteId, line.at);
  return sent;
}

/** The invites already in `DIR/sent.jsonl` (the first line of each), in ~40 bytes each. */
export function readLedgerIndex(dir: string): LedgerIndex {
  const index = new LedgerIndex();
  for (const line of ledgerLines(dir)) index.add(line.inviteId, line.at);
  return index;
}

const CANONICAL = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * A set of invite ids with their acceptance time: a lower-case UUID is kept as four
 * 32-bit words and a time as a number (open addressing); anything else, in a Map.
 */
export class LedgerIndex {
  private words = new Uint32Array(4 * 1024);
  private times = new Float64Array(1024);
  private used = new Uint8Array(1024);
  private count = 0;
  private readonly other = new Map<string, string>();

  get size(): number {
    return this.count + this.other.size;
  }

  private static split(id: string, into: Uint32Array, at = 0): void {
    const hex = id.replace(/-/g, '');
    for (let w = 0; w < 4; w++) into[at + w] = parseInt(hex.slice(w * 8, w * 8 + 8), 16);
  }

  private slotOf(key: Uint32Array): number {
    const mask = this.used.length - 1;
    const [k0 = 0, k1 = 0, k2 = 0, k3 = 0] = key;
    let h = Math.imul(k0 ^ k3, 0x9e3779b1) ^ k1 ^ Math.imul(k2, 0x85ebca6b);
    for (h &= mask; ; h = (h + 1) & mask) {
      if (this.used[h] === 0) return h;
      const w = h * 4;
      if (
        this.words[w] === key[0] &&
        this.words[w + 1] === key[1] &&
        this.words[w + 2] === key[2] &&
        this.words[w + 3] === key[3]
      )
        return h;
    }
  }

  private readonly key = new Uint32Array(4);

  /** Where `id` is or would go, or undefined for an id kept in the Map. */
  private find(id: string): number | undefined {
    if (!CANONICAL.test(id)) return undefined;
    LedgerIndex.split(id, this.key);
    return this.slotOf(this.key);
  }

  /** Adds `id` accepted at `at`, unless it is already in (the first line wins). */
  add(id: string, at: string): void {
    const ms = Date.parse(at);
    const exact = Number.isFinite(ms) && new Date(ms).toISOString() === at;
    const slot = exact ? this.find(id) : undefined;
    if (slot === undefined) {
      if (!this.other.has(id) && this.get(id) === undefined) this.other.set(id, at);
      return;
    }
    if (this.used[slot] === 1) return;
    if (this.other.has(id)) return;
    this.used[slot] = 1;
    this.words.set(this.key, slot * 4);
    this.times[slot] = ms;
    if (++this.count * 2 > this.used.length) this.grow();
  }

  /** When `id` was accepted per the ledger, or undefined when it is not in it. */
  get(id: string): string | undefined {
    const other = this.other.get(id);
    if (other !== undefined) return other;
    const slot = this.find(id);
    if (slot === undefined || this.used[slot] === 0) return undefined;
    return new Date(this.times[slot] ?? 0).toISOString();
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  private grow(): void {
    const { words, times, used } = this;
    this.words = new Uint32Array(words.length * 2);
    this.times = new Float64Array(times.length * 2);
    this.used = new Uint8Array(used.length * 2);
    const key = new Uint32Array(4);
    for (let s = 0; s < used.length; s++) {
      if (used[s] === 0) continue;
      key.set(words.subarray(s * 4, s * 4 + 4));
      const slot = this.slotOf(key);
      this.used[slot] = 1;
      this.words.set(key, slot * 4);
      this.times[slot] = times[s] ?? 0;
    }
  }
}
