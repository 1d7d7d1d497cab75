import fs from 'node:fs';
import path from 'node:path';
import { DamagedLineError, OUTDIR } from '../outdir/files.js';
import { jsonLines } from '../outdir/json-lines.js';
import { damagedManifest, manifestEntry, type ManifestEntry } from '../outdir/manifest.js';

/**
 * What an earlier run left in the folder: a rerun into it merges into its manifest,
 * keeping each recipient's file and numbering the new ones after the last. The entries
 * are not kept in memory: an index of about 25 bytes per entry (two hashes of the key, the
 * line's place in the file) finds a recipient's line, which is read again when needed.
 */

/** The key a recipient's manifest entry is found by across runs. */
export function recipientKey(email: string, cohort: string): string {
  return `${email.toLowerCase()}\u0000${cohort}`;
}

/** Two independent 32-bit hashes of a key (FNV-1a and a multiplicative one). */
function hashes(key: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return [a >>> 0, b >>> 0];
}

/** A found recipient: where its entry is, and its file. */
export interface PreviousEntry {
  slot: number;
  file: string;
}

/** The manifest of an earlier run, as a compact index (see the top of this file). */
export class PreviousManifest {
  /** Recipients in it (a key written twice counts once, its last line wins). */
  readonly size: number;
  /** The next free file number after those of the earlier run. */
  readonly nextSeq: number;
  private readonly touched: Uint8Array;

  private constructor(
    /** The earlier manifest, open until `close` (a rename over it keeps this one readable). */
    private fd: number | undefined,
    private readonly first: Uint32Array,
    private readonly second: Uint32Array,
    private readonly offsets: Float64Array,
    private readonly lengths: Uint32Array,
    /** Slots sorted by hash, for the binary search. */
    private readonly order: Uint32Array,
    /** Slots whose key a later line repeats: left out, as a map would. */
    private readonly dead: Uint8Array,
    size: number,
    nextSeq: number,
  ) {
    this.size = size;
    this.nextSeq = nextSeq;
    this.touched = new Uint8Array(first.length);
  }

  /** The earlier run's manifest in `dir` (empty when there is none). */
  static read(dir: string): PreviousManifest {
    const file = path.join(dir, OUTDIR.manifest);
    let count = 0;
    let first = new Uint32Array(1024);
    let second = new Uint32Array(1024);
    let offsets = new Float64Array(1024);
    let lengths = new Uint32Array(1024);
    let seqs = new Uint32Array(1024);
    for (const { value, offset, length } of jsonLines(file)) {
      const parsed = manifestEntry.safeParse(value);
      if (!parsed.success) continue;
      if (count === first.length) {
        first = grow(first, new Uint32Array(count * 2));
        second = grow(second, new Uint32Array(count * 2));
        offsets = grow(offsets, new Float64Array(count * 2));
        lengths = grow(lengths, new Uint32Array(count * 2));
        seqs = grow(seqs, new Uint32Array(count * 2));
      }
      seqs[count] = Math.min(0xffffffff, Number.parseInt(parsed.data.file, 10) || 0);
      const [a, b] = hashes(recipientKey(parsed.data.email, parsed.data.cohort));
      first[count] = a;
      second[count] = b;
      offsets[count] = offset;
      lengths[count] = length;
      count++;
    }
    const order = new Uint32Array(count);
    for (let i = 0; i < count; i++) order[i] = i;
    order.sort(
      (x, y) => (first[x] ?? 0) - (first[y] ?? 0) || (second[x] ?? 0) - (second[y] ?? 0) || x - y,
    );
    const dead = new Uint8Array(count);
    const index = new PreviousManifest(
      count > 0 ? fs.openSync(file, 'r') : undefined,
      first.subarray(0, count),
      second.subarray(0, count),
      offsets.subarray(0, count),
      lengths.subarray(0, count),
      order,
      dead,
      0,
      0,
    );
    // A key written twice: the first place is kept, with the last line's entry (a map's way).
    for (let i = 1; i < count; i++) {
      const slot = order[i] ?? 0;
      const before = order[i - 1] ?? 0;
      if (first[slot] !== first[before] || second[slot] !== second[before]) continue;
      for (let j = i - 1; j >= 0; j--) {
        const other = order[j] ?? 0;
        if (first[other] !== first[slot] || second[other] !== second[slot]) break;
        if (dead[other] || index.keyOf(other) !== index.keyOf(slot)) continue;
        offsets[other] = offsets[slot] ?? 0;
        lengths[other] = lengths[slot] ?? 0;
        seqs[other] = seqs[slot] ?? 0;
        dead[slot] = 1;
        break;
      }
    }
    let size = 0;
    let maxSeq = 0;
    for (let slot = 0; slot < count; slot++) {
      if (dead[slot]) continue;
      size++;
      maxSeq = Math.max(maxSeq, seqs[slot] ?? 0);
    }
    return Object.assign(index, { size, nextSeq: maxSeq + 1 });
  }

  private entryAt(slot: number): ManifestEntry {
    const length = this.lengths[slot] ?? 0;
    const bytes = Buffer.allocUnsafe(length);
    if (this.fd === undefined) throw new Error('the earlier manifest is closed');
    fs.readSync(this.fd, bytes, 0, length, this.offsets[slot] ?? 0);
    return manifestEntry.parse(JSON.parse(bytes.toString('utf8')));
  }

  private keyOf(slot: number): string {
    const entry = this.entryAt(slot);
    return recipientKey(entry.email, entry.cohort);
  }

  /** The recipient's entry in the earlier run, if it has one. */
  find(email: string, cohort: string): PreviousEntry | undefined {
    const key = recipientKey(email, cohort);
    const [a, b] = hashes(key);
    let low = 0;
    let high = this.order.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const slot = this.order[mid] ?? 0;
      const x = this.first[slot] ?? 0;
      const y = this.second[slot] ?? 0;
      if (x < a || (x === a && y < b)) low = mid + 1;
      else high = mid;
    }
    for (let i = low; i < this.order.length; i++) {
      const slot = this.order[i] ?? 0;
      if (this.first[slot] !== a || this.second[slot] !== b) break;
      if (this.dead[slot]) continue;
      const entry = this.entryAt(slot);
      if (recipientKey(entry.email, entry.cohort) === key) return { slot, file: entry.file };
    }
    return undefined;
  }

  /** Marks a recipient as written again by this run (see `untouched`). */
  touch(slot: number): void {
    this.touched[slot] = 1;
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /** The earlier run's entries this run did not write again, in their order. */
  *untouched(): Generator<ManifestEntry> {
    for (let slot = 0; slot < this.first.length; slot++) {
      if (!this.dead[slot] && !this.touched[slot]) yield this.entryAt(slot);
    }
  }
}

function grow<T extends Uint32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** The manifest this run merges into; a damaged line stops the run, naming it. */
export function readPreviousManifest(plan: { file: string; out: string }): PreviousManifest {
  try {
    return PreviousManifest.read(plan.out);
  } catch (error) {
    if (!(error instanceof DamagedLineError)) throw error;
    const render = `beta-invites render ${plan.file} --out ${plan.out}`;
    throw damagedManifest(error.file, error.line, `is not JSON (${error.reason})`, render);
  }
}
