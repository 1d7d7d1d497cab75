import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const bin = path.join(root, 'bin/beta-invites.js');
export const fixtures = path.join(root, 'fixtures');
/** Scratch space of the test run (ignored by git). */
export const scratch = path.join(root, '.tmp');
/** The migrated embedded data directory every embedded test copies. */
export const templateHome = path.join(scratch, 'template-home');

export function fixture(name: string): string {
  return path.join(fixtures, name);
}
