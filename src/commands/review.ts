import { z } from 'zod';
import { ExitCode } from '../core/errors.js';
import { defineCommand } from './command.js';
import { printReview } from './review/print.js';
import { runReview } from './review/run.js';

const schema = z
  .object({
    dir: z.string().min(1),
    open: z.boolean().default(false),
    approve: z.boolean().default(false),
    by: z.string().optional(),
    json: z.boolean().default(false),
  })
  .strict();

export default defineCommand({
  schema,
  run: runReview,
  print: printReview,
  exitCode() {
    return ExitCode.ok;
  },
});
