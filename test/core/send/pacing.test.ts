import { describe, expect, it } from 'vitest';
import { Window, backoffDelay, sleep, tokenSchedule } from '../../../src/core/send/pacing.js';

describe('tokenSchedule', () => {
  it('spaces the tokens 1/rate apart once the burst is spent', () => {
    let now = 1_000;
    const next = tokenSchedule(10, 1, () => now);
    expect([next(), next(), next(), next()]).toEqual([0, 100, 200, 300]);
    now += 1_000; // the bucket refills, but never beyond its burst
    expect([next(), next()]).toEqual([0, 100]);
  });

  it('hands out a burst at once, then paces', () => {
    const now = 0;
    const next = tokenSchedule(2, 3, () => now);
    expect([next(), next(), next(), next(), next()]).toEqual([0, 0, 0, 500, 1000]);
  });

  it('does not make a late caller wait for time already passed', () => {
    let now = 0;
    const next = tokenSchedule(4, 1, () => now);
    expect(next()).toBe(0);
    now = 100;
    expect(next()).toBe(150);
    now = 10_000;
    expect(next()).toBe(0);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base, with half of each delay random, up to the cap', () => {
    const options = { baseMs: 1000, maxMs: 30_000 };
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, { ...options, random: () => 0 }))).toEqual([
      500, 1000, 2000, 4000,
    ]);
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, { ...options, random: () => 1 }))).toEqual([
      1000, 2000, 4000, 8000,
    ]);
    expect(backoffDelay(10, { ...options, random: () => 1 })).toBe(30_000);
    expect(backoffDelay(10, { ...options, random: () => 0 })).toBe(15_000);
  });
});

describe('sleep', () => {
  it('resolves false at once when the signal aborts', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort();
    expect(await waiting).toBe(false);
    expect(await sleep(10, controller.signal)).toBe(false);
    expect(await sleep(1, new AbortController().signal)).toBe(true);
  });
});

describe('Window', () => {
  it('admits at most its size, and serves waiters in order', async () => {
    const window = new Window(2);
    const order: string[] = [];
    await window.acquire();
    await window.acquire();
    const third = window.acquire().then(() => order.push('third'));
    const fourth = window.acquire().then(() => order.push('fourth'));
    await Promise.resolve();
    expect(order).toEqual([]);
    window.release();
    await third;
    expect(order).toEqual(['third']);
    window.release();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
  });
});
