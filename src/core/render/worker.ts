import { parentPort, workerData } from 'node:worker_threads';
import { emitEml, type EmlItem } from './emit.js';
import { InvitationBuilder } from './invitation-builder.js';
import type { WorkerSetup } from './pool.js';
import { compileTemplates } from './templates.js';

/**
 * A render worker thread: builds and writes the messages the main thread sends it, and
 * answers each request with their sha256 (or the error that stopped it).
 */
const setup = workerData as WorkerSetup;
const builder = new InvitationBuilder({
  sender: setup.sender,
  timeZone: setup.timeZone,
  templates: compileTemplates(setup.sources),
});

parentPort?.on('message', (request: { id: number; items: EmlItem[] }) => {
  void (async () => {
    try {
      const shas: string[] = [];
      for (const item of request.items) shas.push(await emitEml(builder, setup.dir, item));
      parentPort?.postMessage({ id: request.id, shas });
    } catch (error) {
      const e = error as { message?: unknown; code?: unknown };
      parentPort?.postMessage({
        id: request.id,
        error: { message: String(e.message ?? error), code: e.code },
      });
    }
  })();
});
