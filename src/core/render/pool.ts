import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EmlItem, Emitter } from './emit.js';
import type { SenderSettings } from './sender.js';
import type { TemplateSources } from './templates.js';

/** What each worker thread needs to build messages the main thread would build. */
export interface WorkerSetup {
  dir: string;
  sender: SenderSettings;
  timeZone: string;
  sources: TemplateSources;
}

/**
 * The worker's script: next to this module once built. Run from the sources (the tests),
 * the compiled one in dist/ (a worker thread cannot load TypeScript).
 */
export function workerScript(): URL {
  const here = new URL('./worker.js', import.meta.url);
  if (fs.existsSync(fileURLToPath(here))) return here;
  return new URL('../../../dist/core/render/worker.js', import.meta.url);
}

interface Waiting {
  resolve: (shas: string[]) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  /** Messages sent to it and not answered yet. */
  load: number;
  waiting: Map<number, Waiting & { size: number }>;
}

/** The smallest share of a batch worth a message to a worker. */
const MIN_CHUNK = 32;

/**
 * Spreads building and writing over worker threads: each batch is cut into one share per
 * worker, each share goes to the least busy one, and the answers come back in order.
 */
export class WorkerPool implements Emitter {
  private readonly slots: Slot[] = [];
  private nextId = 0;
  private failure: Error | undefined;

  constructor(jobs: number, setup: WorkerSetup) {
    const script = workerScript();
    for (let i = 0; i < jobs; i++) {
      const slot: Slot = {
        worker: new Worker(script, {
          workerData: setup,
          // A worker keeps nothing between requests: a small heap is collected often and
          // keeps the process's peak memory near that of one thread.
          resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 64 },
        }),
        load: 0,
        waiting: new Map(),
      };
      slot.worker.on(
        'message',
        (answer: { id: number; shas?: string[]; error?: { message: string; code?: unknown } }) => {
          const waiting = slot.waiting.get(answer.id);
          if (!waiting) return;
          slot.waiting.delete(answer.id);
          slot.load -= waiting.size;
          if (answer.shas) waiting.resolve(answer.shas);
          else
            waiting.reject(
              Object.assign(new Error(answer.error?.message ?? 'worker failed'), {
                code: answer.error?.code,
              }),
            );
        },
      );
      slot.worker.on('error', (error) => this.fail(slot, error));
      slot.worker.on('exit', (code) =>
        this.fail(slot, new Error(`a render worker stopped (exit code ${code})`)),
      );
      this.slots.push(slot);
    }
  }

  private fail(slot: Slot, error: Error): void {
    this.failure ??= error;
    for (const waiting of slot.waiting.values()) waiting.reject(error);
    slot.waiting.clear();
  }

  private send(items: EmlItem[]): Promise<string[]> {
    if (this.failure) return Promise.reject(this.failure);
    const slot = this.slots.reduce((a, b) => (b.load < a.load ? b : a));
    const id = this.nextId++;
    slot.load += items.length;
    return new Promise((resolve, reject) => {
      slot.waiting.set(id, { resolve, reject, size: items.length });
      slot.worker.postMessage({ id, items });
    });
  }

  async emit(items: EmlItem[]): Promise<string[]> {
    const shares = Math.max(1, Math.min(this.slots.length, Math.floor(items.length / MIN_CHUNK)));
    const size = Math.ceil(items.length / shares);
    const parts: Promise<string[]>[] = [];
    for (let at = 0; at < items.length; at += size)
      parts.push(this.send(items.slice(at, at + size)));
    return (await Promise.all(parts)).flat();
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the render workers were stopped');
    await Promise.all(
      this.slots.map(async (slot) => {
        slot.worker.removeAllListeners('exit');
        await slot.worker.terminate();
      }),
    );
  }
}
