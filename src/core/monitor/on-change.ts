import { spawn } from 'node:child_process';

/** How long a hook may run before it is killed: a hung webhook must not stall the loop. */
export const HOOK_TIMEOUT_MS = 30_000;

/** Keeps the last few hundred characters of a stream, for the failure message. */
function tail(max: number): { push(chunk: Buffer): void; text(): string } {
  let kept = '';
  return {
    push: (chunk) => {
      kept = (kept + chunk.toString('utf8')).slice(-max);
    },
    text: () => kept.trim().split('\n').at(-1)?.trim() ?? '',
  };
}

/** Read by the tool (or by libpq) as a password: never handed to a hook. */
const REMOVED = new Set(['PGPASSWORD']);
/** Connection URLs the tool reads: the hook keeps where they point, not how to log in. */
const MASKED = new Set(['DATABASE_URL', 'SMTP_URL']);

/**
 * The URL with its password, and any query parameter naming one (`?password=`), replaced
 * by `***`; undefined when it does not parse as `scheme://host…`, since then no one can
 * tell where the password is (`u:pw@db` parses, as a path). Parsed rather than matched,
 * so an unencoded `@` in a password cannot leave part of it behind.
 */
export function maskPassword(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.host === '') return undefined;
  if (url.password) url.password = '***';
  for (const key of new Set(url.searchParams.keys())) {
    if (/pass/i.test(key)) url.searchParams.set(key, '***');
  }
  return url.toString();
}

/** The environment without the secrets the tool itself reads (see REMOVED, MASKED). */
export function withoutSecrets(
  env: Readonly<Record<string, string | undefined>>,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || REMOVED.has(name)) continue;
    const shown = MASKED.has(name) ? maskPassword(value) : value;
    if (shown !== undefined) kept[name] = shown;
  }
  return kept;
}

/**
 * Runs the `--on-change` command (already split into words; no shell) with `extra`
 * added to the environment, less `PGPASSWORD` and with the passwords in `DATABASE_URL`
 * and `SMTP_URL` masked (the caller leaves out the gates' tokens: only it knows them). Resolves with undefined when it exited 0, else with why it
 * did not (not found, exit code and its last line of stderr, killed after the timeout).
 * Never rejects.
 */
export function runHook(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  extra: Record<string, string>,
  signal: AbortSignal,
  timeoutMs = HOOK_TIMEOUT_MS,
): Promise<string | undefined> {
  const [command, ...args] = argv;
  if (!command) return Promise.resolve('empty command');
  return new Promise((resolve) => {
    const stderr = tail(500);
    const child = spawn(command, args, {
      env: { ...withoutSecrets(env), ...extra },
      stdio: ['ignore', 'ignore', 'pipe'],
      signal,
      timeout: timeoutMs,
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') resolve(`command not found: ${command}`);
      else if (error.name === 'AbortError') resolve('stopped');
      else resolve(error.message);
    });
    child.on('close', (code, killedBy) => {
      const last = stderr.text();
      if (code === 0) resolve(undefined);
      else if (killedBy)
        resolve(signal.aborted ? 'stopped' : `killed after ${timeoutMs / 1000}s (${killedBy})`);
      else resolve(`exited with code ${code}${last ? `: ${last}` : ''}`);
    });
  });
}
