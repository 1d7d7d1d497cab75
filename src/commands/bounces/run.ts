import path from 'node:path';
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
import { defineRunner, type Invocation, type Source } from '../shared/define.js';
import type { BouncesOptions } from './definition.js';

const SOURCE_HINT =
  'give a Maildir, an mbox file, an .eml file or a folder of them, or --imap imaps://USER@HOST/INBOX (or BOUNCES_IMAP_URL)';

/** The source named by the flags: one path, or one IMAP URL (flag, else environment). */
async function openSource(
  flags: BouncesOptions,
  ctx: Pick<Context, 'settings' | 'cwd'>,
  imapSource: Source,
): Promise<MessageSource> {
  // BOUNCES_IMAP_URL set for cron does not stop a SOURCE given by hand.
  if (flags.source !== undefined && imapSource === 'cli') {
    throw new UsageError('give either SOURCE or --imap, not both', SOURCE_HINT);
  }
  if (flags.source !== undefined) {
    const target = path.resolve(ctx.cwd, flags.source);
    return openLocalSource(target, flags.source, MAX_MESSAGE_BYTES);
  }
  if (flags.imap === undefined) throw new UsageError('missing SOURCE', SOURCE_HINT);
  const address = parseImapUrl(flags.imap, ctx.settings.env.BOUNCES_IMAP_PASSWORD);
  return openImapSource(address, MAX_MESSAGE_BYTES);
}

/**
 * Reads the source, then records its bounces. The source is opened (an IMAP login
 * checked) before the database, so a refused login or a missing path changes nothing.
 */
async function run(
  flags: BouncesOptions,
  ctx: Context,
  invocation: Invocation<BouncesOptions>,
): Promise<BouncesReport> {
  const returnPath =
    flags.returnPath === undefined ? undefined : compileReturnPath(flags.returnPath);
  const source = await openSource(flags, ctx, invocation.sources.imap);
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

export default defineRunner<BouncesOptions, BouncesReport>({
  run,
  // 2 when some messages are listed as problems (not attributed, not parsed, no status).
  exitCode: (report) => (report.problemCount > 0 ? ExitCode.warn : ExitCode.ok),
});
