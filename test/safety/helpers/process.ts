import { execa, type ResultPromise } from 'execa';
import { cleanEnv } from '../../helpers/cli.js';
import type { TestDatabase } from '../../helpers/database.js';
import { bin } from '../../helpers/paths.js';

/** A run of the real binary in the background (await it for its result). */
export type Running = ResultPromise<{ reject: false; extendEnv: false }>;

/**
 * Starts `beta-invites ARGS` without waiting for it, pointed at `db`, after releasing the
 * in-process client (the embedded directory admits one process). The child is wrapped:
 * an async function returning it would wait for its end (it is a thenable).
 */
export async function startCli(
  args: string[],
  options: { db: TestDatabase; env?: Record<string, string | undefined>; cwd?: string },
): Promise<{ child: Running }> {
  await options.db.release();
  const child = execa(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? options.db.home,
    env: cleanEnv({ ...options.db.env, ...options.env }),
    extendEnv: false,
    reject: false,
    timeout: 120_000,
  });
  return { child };
}

/** True once the child has exited (whatever the way). */
export function exited(child: Running): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Polls `check` every `stepMs` until it holds; false if `timeoutMs` passed first. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  stepMs = 5,
): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) return false;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  return true;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A small seeded PRNG (mulberry32): the same seed gives the same kill moments, so a
 * failing trial is replayed by its seed.
 */
export function prng(seed: number): {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(values: readonly T[]): T;
} {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  return { next, int, pick: (values) => values[int(0, values.length - 1)] as (typeof values)[0] };
}
