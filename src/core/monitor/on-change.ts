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

/**
 * Runs the `--on-change` command (already split into words; no shell) with `extra`
 * added to the environment. Resolves with undefined when it exited 0, else with why it
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
      env: { ...env, ...extra },
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
