import { execa, type Options } from 'execa';
import { bin } from './paths.js';
import type { TestDatabase } from './database.js';

/** What one run of the real binary did. */
export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Environment of a test run: no colours, no inherited database or operator settings. */
export function cleanEnv(
  extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(env)) {
    if (
      /^(DATABASE_URL|BETA_INVITES_HOME|BETA_INVITES_EMBEDDED|PG[A-Z]|FORCE|SEND|LOOP|DEBUG|INVITE_|SMTP_URL|SEND_CMD|CHECK_INTERVAL|TEST_DATABASE_URL)/.test(
        key,
      )
    ) {
      env[key] = undefined;
    }
  }
  return { ...env, NO_COLOR: '1', ...extra };
}

/**
 * Runs `node bin/beta-invites.js …` to completion. With `db`, the in-process client is
 * released first and the binary is pointed at that database.
 */
export async function runCli(
  args: string[],
  options: {
    db?: TestDatabase;
    env?: Record<string, string | undefined>;
    cwd?: string;
    input?: string;
  } & Pick<Options, 'timeout'> = {},
): Promise<CliResult> {
  if (options.db) await options.db.release();
  const result = await execa(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? options.db?.home,
    env: cleanEnv({ ...options.db?.env, ...options.env }),
    extendEnv: false,
    reject: false,
    input: options.input ?? '',
    timeout: options.timeout ?? 60_000,
  });
  return { exitCode: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** Removes what varies between runs and databases from a message (paths, durations). */
export function normalize(text: string, replacements: Record<string, string> = {}): string {
  let out = text;
  for (const [from, to] of Object.entries(replacements)) out = out.split(from).join(to);
  // The embedded database's one-line notice appears on one of the two databases only.
  out = out.replace(/^using embedded database at .*; set DATABASE_URL for a server\n?/m, '');
  // So does send's dry-run line naming the database it records to (wrong-database tests pin it).
  out = out.replace(/^ *database {5}records to .*\n/m, '');
  return out.replace(/\(\d+ ms\)/g, '(N ms)');
}
