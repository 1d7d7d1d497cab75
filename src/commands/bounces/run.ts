import path from 'node:path';
import { z } from 'zod';
import { parseImapUrl } from '../../core/bounces/imap-url.js';
import { readBounces, type BouncesReport } from '../../core/bounces/read-bounces.js';
import { openLocalSource } from '../../core/bounces/sources/files.js';
import { openImapSource } from '../../core/bounces/sources/imap.js';
import { MAX_MESSAGE_BYTES, type MessageSource } from '../../core/bounces/sources/source.js';
import { compileReturnPath } from '../../core/bounces/verp.js';
import type { Context } from '../../core/context.js';
import { ExitCode, UsageError } from '../../core/errors.js';
import { defaultMigrationsDir } from '../../core/migrations/files.js';
import { assertMigrated } from '../../core/migrations/migrate.js';

export const bouncesSchema = z
  .object({
    source: z.string().min(1, { error: 'expected a path' }).optional(),
    imap: z.string().min(1, { error: 'expected imaps://USER@HOST/INBOX' }).optional(),
    returnPath: z.string().optional(),
    dryRun: z.boolean().default(false),
    json: z.boolean().default(false),
  })
  .strict();

/** The options of `bounces`, as validated. */
export type BouncesFlags = z.infer<typeof bouncesSchema>;

const SOURCE_HINT =
  'give a Maildir, an mbox file, an .eml file or a folder of them, or --imap imaps://USER@HOST/INBOX (or BOUNCES_IMAP_URL)';

/** The source named by the flags: one path, or one IMAP URL (flag, else environment). */
async function openSource(
  flags: BouncesFlags,
  ctx: Pick<Context, 'settings' | 'cwd'>,
): Promise<MessageSource> {
  if (flags.source !== undefined && flags.imap !== undefined) {
    throw new UsageError('give either SOURCE or --imap, not both', SOURCE_HINT);
  }
  if (flags.source !== undefined) {
    const target = path.resolve(ctx.cwd, flags.source);
    return openLocalSource(target, flags.source, MAX_MESSAGE_BYTES);
  }
  const url = flags.imap ?? ctx.settings.bouncesImapUrl;
  if (url === undefined) throw new UsageError('missing SOURCE', SOURCE_HINT);
  const address = parseImapUrl(url, ctx.settings.bouncesImapPassword);
  return openImapSource(address, MAX_MESSAGE_BYTES);
}

/**
 * Reads the source, then records its bounces. The source is opened (an IMAP login
 * checked) before the database, so a refused login or a missing path changes nothing.
 */
export async function runBounces(flags: BouncesFlags, ctx: Context): Promise<BouncesReport> {
  const returnPath =
    flags.returnPath === undefined ? undefined : compileReturnPath(flags.returnPath);
  const source = await openSource(flags, ctx);
  try {
    const db = await ctx.db();
    await assertMigrated(db.sql, defaultMigrationsDir, db.label);
    return await readBounces(
      { source, returnPath, dryRun: flags.dryRun, maxBytes: MAX_MESSAGE_BYTES },
      { sql: db.sql, clock: ctx.clock },
    );
  } finally {
    await source.close();
  }
}

/** 0: every message read and placed; 2: some listed as problems (not attributed, not parsed). */
export function bouncesExitCode(report: BouncesReport): ExitCode {
  return report.problemCount > 0 ? ExitCode.warn : ExitCode.ok;
}
