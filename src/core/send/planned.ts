import path from 'node:path';
import { manifestChunks } from './manifest-stream.js';
import { MARK, PLAN_CHUNK, type SendPlan } from './plan.js';

/** A message to send, as the plan checked it; its file is read (once) when it is sent. */
export interface PlannedMessage {
  inviteId: string;
  email: string;
  /** The file name, relative to the folder. */
  file: string;
  path: string;
  /** sha256 of the file as checked: the bytes sent must have it. */
  sha256: string;
}

/** The messages of the plan in manifest order, read from the manifest a chunk at a time. */
export function* plannedMessages(plan: SendPlan): Generator<PlannedMessage> {
  for (const { start, entries } of manifestChunks(plan.scan, PLAN_CHUNK)) {
    for (let k = 0; k < entries.length; k++) {
      const index = start + k;
      const mark = plan.marks[index] ?? 0;
      const e = entries[k];
      if ((mark & MARK.send) === 0 || e === undefined) continue;
      yield {
        inviteId: e.inviteId,
        email: e.email,
        file: e.file,
        path: path.join(plan.scan.dir, e.file),
        sha256: (mark & MARK.edited) === 0 ? e.sha256 : plan.digests.get(index),
      };
    }
  }
}

/** Ledger entries whose sent_at is not set yet, a chunk at a time (see backfillSentAt). */
export function* unrecordedChunks(plan: SendPlan): Generator<{ id: string; at: string }[]> {
  if (plan.unrecorded === 0) return;
  for (const { start, entries } of manifestChunks(plan.scan, PLAN_CHUNK)) {
    const chunk: { id: string; at: string }[] = [];
    entries.forEach((e, k) => {
      const at = plan.ledger.get(e.inviteId);
      if (((plan.marks[start + k] ?? 0) & MARK.unrecorded) !== 0 && at !== undefined)
        chunk.push({ id: e.inviteId, at });
    });
    if (chunk.length > 0) yield chunk;
  }
}
