import { z } from 'zod';
import { UsageError } from '../core/errors.js';

/** A whole number ≥ 0 given as a flag value. */
export const count = z.coerce
  .number({ error: 'expected a whole number' })
  .int({ error: 'expected a whole number' })
  .min(0, { error: 'expected a whole number ≥ 0' });

/** `--format text|json|github`. */
export const format = z
  .enum(['text', 'json', 'github'], { error: 'expected text, json or github' })
  .default('text');

function flagName(key: PropertyKey | undefined): string {
  if (typeof key !== 'string') return 'argument';
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

/** Validates commander's options with a command's schema; every problem in one line. */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? `unknown option ${issue.keys.map((k) => flagName(k)).join(', ')}`
      : `${flagName(issue.path[0])}: ${issue.message}`,
  );
  throw new UsageError(problems.join('; '), 'see --help');
}
