import { createHash } from 'node:crypto';
import type { Invitation } from './compose.js';
import type { InvitationBuilder } from './invitation-builder.js';
import { writeEml } from './outdir.js';

/** One message to build and write: the invitation and its file name in the folder. */
export interface EmlItem {
  invitation: Invitation;
  file: string;
}

/** Builds and writes one message; its sha256 (hex) for the manifest. */
export async function emitEml(
  builder: InvitationBuilder,
  dir: string,
  item: EmlItem,
): Promise<string> {
  const bytes = await builder.build(item.invitation);
  writeEml(dir, item.file, bytes);
  return createHash('sha256').update(bytes).digest('hex');
}

/** Builds and writes batches of messages; each batch's sha256 in the order of its items. */
export interface Emitter {
  emit(items: EmlItem[]): Promise<string[]>;
  close(): Promise<void>;
}

/** Messages built between two turns of the event loop (about 5 ms of work). */
const YIELD_EVERY = 16;

/**
 * Builds on the main thread. Building and writing never wait, so the next batch's
 * transaction, whose statements each need a turn of the event loop, would stall for the
 * whole batch without the turns given back every few messages.
 */
export class InlineEmitter implements Emitter {
  constructor(
    private readonly builder: InvitationBuilder,
    private readonly dir: string,
  ) {}

  async emit(items: EmlItem[]): Promise<string[]> {
    const shas: string[] = [];
    for (const [i, item] of items.entries()) {
      if (i % YIELD_EVERY === YIELD_EVERY - 1)
        await new Promise((resolve) => setImmediate(resolve));
      shas.push(await emitEml(this.builder, this.dir, item));
    }
    return shas;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
