import { defineCommand } from './command.js';
import { printBounces } from './bounces/print.js';
import { bouncesExitCode, bouncesSchema, runBounces } from './bounces/run.js';

export default defineCommand({
  schema: bouncesSchema,
  run: runBounces,
  print: printBounces,
  exitCode: bouncesExitCode,
});
