import type { z } from 'zod';
import type { Context } from '../core/context.js';
import type { ExitCode } from '../core/errors.js';

/**
 * One subcommand: a zod schema for its options, `run` that returns data, `print` that
 * shows it (text or `--json`), and the exit code the data means.
 */
export interface Command<S extends z.ZodType, R> {
  schema: S;
  run(options: z.infer<S>, ctx: Context): Promise<R>;
  print(result: R, options: z.infer<S>, ctx: Pick<Context, 'out' | 'settings'>): void;
  exitCode(result: R, options: z.infer<S>): ExitCode;
  /**
   * True when `run` watches `ctx.signal` and stops cleanly by itself (render, send,
   * monitor). Otherwise Ctrl-C closes the database and exits at once.
   */
  handlesInterrupt?: boolean;
}

/** Declares a command with its types inferred. */
export function defineCommand<S extends z.ZodType, R>(command: Command<S, R>): Command<S, R> {
  return command;
}
