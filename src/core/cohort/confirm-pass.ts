import fs from 'node:fs';
import { UserError } from '../errors.js';
import { checkDuplicates, duplicateState } from './duplicates.js';
import { canonicalMailbox, emailKey } from './email.js';
import type { FingerprintTable } from './fingerprints.js';
import type { CohortHeader } from './header.js';
import type { IssueLog } from './issues.js';
import { CsvSyntaxError, EncodingError, readCsvBatches } from './read-csv.js';
import { validEmail } from './row-checks.js';

/** Distinct addresses per `findUsers` call: memory stays flat however long the file. */
const USERS_BATCH = 50_000;

/** Returns the subset of lower-cased emails already in `public.users`. */
export type FindUsers = (emails: string[]) => Promise<Set<string>>;

interface FirstOccurrence {
  line: number;
  key: string;
  email: string;
}

/** Size and modification time: what tells that the file changed between the passes. */
export function fileVersion(file: string): string | undefined {
  try {
    const stat = fs.statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

/**
 * The second pass over the file: the exact duplicate checks on the rows whose
 * fingerprints are suspects, and with `findUsers` the lookup of every distinct address,
 * in batches. It reads the rows the first pass read (up to the same encoding or syntax
 * error, which that pass logged already).
 */
export async function confirmPass(
  file: string,
  input: { header: CohortHeader; table: FingerprintTable; version: string | undefined },
  log: IssueLog,
  findUsers?: FindUsers,
): Promise<void> {
  const { header, table } = input;
  const state = duplicateState();
  let batch: FirstOccurrence[] = [];
  const flush = async () => {
    if (findUsers && batch.length > 0) await logUsers(batch, findUsers, log);
    batch = [];
  };
  let first = true;
  try {
    for await (const rows of readCsvBatches(file)) {
      for (const row of rows) {
        const email = first ? undefined : validEmail(row, header);
        first = false;
        if (email === undefined) continue;
        const key = emailKey(email);
        const canonical = canonicalMailbox(key);
        const suspect = table.isSuspect(key) || (canonical !== key && table.isSuspect(canonical));
        const firstOccurrence = !suspect || checkDuplicates(row.line, email, key, state, log);
        if (findUsers && firstOccurrence) batch.push({ line: row.line, key, email });
        if (batch.length >= USERS_BATCH) await flush();
      }
    }
  } catch (error) {
    if (!(error instanceof EncodingError || error instanceof CsvSyntaxError)) throw error;
  }
  await flush();
  if (fileVersion(file) !== input.version) {
    throw new UserError(`${file} changed while it was being validated`, {
      hint: 'rerun once nothing writes to the file',
    });
  }
}

async function logUsers(batch: FirstOccurrence[], findUsers: FindUsers, log: IssueLog) {
  const found = await findUsers(batch.map((row) => row.key));
  for (const { line, key, email } of batch) {
    if (!found.has(key)) continue;
    const message = 'already has an account in public.users';
    log.add({ type: 'user-collision', line, field: 'email', value: email, message });
  }
}
