// The manifest of a render folder, whole: for the baselines of the send case, which send
// every file of it (20,000 lines at most in the bench: they fit in memory).
import fs from 'node:fs';
import path from 'node:path';

/** The entries of DIR/manifest.jsonl, in order. */
export function manifestEntries(dir) {
  return fs
    .readFileSync(path.join(dir, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}
