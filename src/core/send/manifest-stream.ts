import fs from 'node:fs';
import path from 'node:path';
import { UserError, errorMessage } from '../errors.js';
import { DamagedLineError, OUTDIR } from '../outdir/files.js';
import { damagedManifest, manifestEntry, type ManifestEntry } from '../outdir/manifest.js';
import { jsonLines } from '../outdir/json-lines.js';

/** A folder's manifest, checked whole once and then read again a chunk at a time. */
export interface ManifestScan {
  dir: string;
  file: string;
  /** Invitations in it. */
  total: number;
  /** Size, times and inode when it was checked: a later pass refuses a changed file. */
  stamp: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The first `max` of a list whose whole length is `count`, as messages show it. */
export class Sample {
  readonly first: string[] = [];
  count = 0;
  constructor(private readonly max: number) {}
  add(value: string): void {
    if (this.first.length < this.max) this.first.push(value);
    this.count++;
  }
  /** "a, b, c, … (7 in all)", as far as `shown` values. */
  text(shown: number, separator = ', '): string {
    return (
      this.first.slice(0, shown).join(separator) +
      (this.count > shown ? `${separator}… (${this.count} in all)` : '')
    );
  }
}

function stampOf(file: string): string {
  const s = fs.statSync(file, { throwIfNoEntry: false });
  return s === undefined ? 'missing' : `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`;
}

function renderCommand(dir: string): string {
  return `beta-invites render COHORT.csv --out ${dir}`;
}

/** A 53-bit hash of a string (two FNV-1a variants), exact in a double. */
function hash53(text: string): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 0) * 0x200000 + ((b >>> 0) & 0x1fffff);
}

/** Hashes appended one by one into a typed array that grows by doubling. */
class HashList {
  private values = new Float64Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }
  /** Hashes that occur more than once. */
  repeated(): Set<number> {
    const sorted = this.values.slice(0, this.length).sort();
    const out = new Set<number>();
    sorted.forEach((value, i) => {
      if (i > 0 && value === sorted[i - 1]) out.add(value);
    });
    return out;
  }
}

/** The entries of manifest.jsonl in order, each checked against the schema. */
function* entries(file: string, render: string): Generator<ManifestEntry> {
  for (const { value, index } of jsonLines(file)) {
    const parsed = manifestEntry.safeParse(value);
    if (!parsed.success) throw damagedManifest(file, index + 1, 'is not a manifest entry', render);
    yield parsed.data;
  }
}

/** What the whole-manifest checks need, gathered in one pass. */
interface Gathered {
  total: number;
  preview: boolean;
  badIds: Sample;
  keys: HashList;
  cohortFound: boolean;
  /** The first 11 distinct cohort labels (10 shown, and whether there are more). */
  labels: Set<string>;
}

function gather(file: string, render: string, cohort: string | undefined): Gathered {
  const g: Gathered = {
    ...{ total: 0, preview: false, badIds: new Sample(5), keys: new HashList() },
    ...{ cohortFound: false, labels: new Set<string>() },
  };
  /** As readManifest: a damaged line anywhere wins over an entry that is not one. */
  let notEntry: UserError | undefined;
  try {
    for (const { value, index } of jsonLines(file)) {
      g.total++;
      if (notEntry !== undefined) continue;
      const parsed = manifestEntry.safeParse(value);
      if (!parsed.success) {
        notEntry = damagedManifest(file, index + 1, 'is not a manifest entry', render);
        continue;
      }
      const e = parsed.data;
      if (e.preview === true) g.preview = true;
      if (!UUID.test(e.inviteId)) g.badIds.add(e.file);
      g.keys.push(hash53(e.inviteId));
      g.keys.push(hash53(e.email.toLowerCase()));
      if (e.cohort === cohort) g.cohortFound = true;
      if (g.labels.size < 11) g.labels.add(e.cohort);
    }
  } catch (error) {
    if (error instanceof DamagedLineError)
      throw damagedManifest(file, error.line, `is not JSON (${error.reason})`, render);
    throw new UserError(`cannot read ${file}: ${errorMessage(error)}`);
  }
  if (notEntry !== undefined) throw notEntry;
  return g;
}

/** The first key listed twice, in manifest order, among keys whose hash repeats. */
function refuseDuplicates(file: string, render: string, repeated: Set<number>): void {
  if (repeated.size === 0) return;
  const seen = new Map<string, string>();
  for (const e of entries(file, render)) {
    for (const key of [e.inviteId, e.email.toLowerCase()]) {
      if (!repeated.has(hash53(key))) continue;
      const first = seen.get(key);
      if (first !== undefined) {
        throw new UserError(`manifest.jsonl lists ${key} twice (${first} and ${e.file})`, {
          hint: 'rerun beta-invites render',
        });
      }
      seen.set(key, e.file);
    }
  }
}

/**
 * Checks the folder's manifest as a whole, refusing previews, broken entries, ids that
 * are not UUIDs, duplicates and an unknown --cohort; keeps none of its entries.
 */
export function scanManifest(dir: string, cohort: string | undefined): ManifestScan {
  if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UserError(`${dir} is not a folder`, {
      hint: 'pass the folder beta-invites render wrote (its --out)',
    });
  }
  const file = path.join(dir, OUTDIR.manifest);
  const render = renderCommand(dir);
  const stamp = stampOf(file);
  const g = gather(file, render, cohort);
  if (g.total === 0) {
    throw new UserError(`${file} is missing or empty`, {
      hint: `run beta-invites render first, with --out ${dir}`,
    });
  }
  if (g.preview) {
    throw new UserError(
      `${dir} was rendered with --dry-run: its codes are previews, not invitations`,
      {
        hint: `render it for real (beta-invites render COHORT.csv --out ${dir}), review it, then send`,
      },
    );
  }
  if (g.badIds.count > 0)
    throw new UserError(`manifest.jsonl has invite ids that are not UUIDs: ${g.badIds.text(5)}`, {
      hint: 'rerun beta-invites render',
    });
  refuseDuplicates(file, render, g.keys.repeated());
  if (cohort !== undefined && !g.cohortFound) {
    const labels = [...g.labels];
    const shown = labels.slice(0, 10).join(', ') + (labels.length > 10 ? ', …' : '');
    throw new UserError(`no recipient of the folder has the cohort label "${cohort}"`, {
      hint: `labels in manifest.jsonl: ${shown}`,
    });
  }
  const scan = { dir, file, total: g.total, stamp };
  assertUnchanged(scan);
  return scan;
}

function assertUnchanged(scan: ManifestScan): void {
  if (stampOf(scan.file) === scan.stamp) return;
  throw new UserError(`${scan.file} changed while send was reading it`, {
    hint: 'nothing more was sent; rerun the same command: what was sent is skipped',
  });
}

/**
 * The manifest again, `size` entries at a time with the index of the first, for a later
 * pass over a scanned folder. Refuses a manifest that changed since the scan.
 */
export function* manifestChunks(
  scan: ManifestScan,
  size: number,
): Generator<{ start: number; entries: ManifestEntry[] }> {
  assertUnchanged(scan);
  let chunk: ManifestEntry[] = [];
  let start = 0;
  for (const entry of entries(scan.file, renderCommand(scan.dir))) {
    chunk.push(entry);
    if (chunk.length === size) {
      yield { start, entries: chunk };
      start += chunk.length;
      chunk = [];
      assertUnchanged(scan);
    }
  }
  if (chunk.length > 0) yield { start, entries: chunk };
  assertUnchanged(scan);
  if (start + chunk.length !== scan.total) assertUnchanged({ ...scan, stamp: '' });
}
