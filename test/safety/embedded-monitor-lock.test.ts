import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../helpers/cli.js';
import { createTestDatabase, dbKind, type TestDatabase } from '../helpers/database.js';
import { senderEnv, writeCohort } from '../helpers/render.js';
import { startCli, waitFor } from './helpers/process.js';

/**
 * `monitor --watch` on the embedded database opens its data directory for each short
 * check and closes it (here every second, the shortest interval it accepts). Commands started meanwhile wait for the check to end instead of
 * failing because the directory is in use.
 */
let db: TestDatabase;
beforeAll(async () => {
  if (dbKind !== 'embedded') return;
  db = await createTestDatabase();
  fs.writeFileSync(
    path.join(db.home, 'monitor.json'),
    JSON.stringify({ timeoutSeconds: 10, gates: { signups: { min: 0 } } }),
  );
});
afterAll(async () => {
  await db?.drop();
});

/** `n` commands one after another; their results. */
async function lane(commands: (() => Promise<CliResult>)[]): Promise<CliResult[]> {
  const results: CliResult[] = [];
  for (const command of commands) results.push(await command());
  return results;
}

describe.runIf(dbKind === 'embedded')(
  'commands beside monitor --watch (embedded only: a server has no data-directory lock)',
  { timeout: 300_000 },
  () => {
    it('two lanes of renders and reports, each next to a looping monitor, all exit 0', async () => {
      const { child: monitor } = await startCli(
        ['monitor', '--config', 'monitor.json', '--only', 'signups', '--watch', '--interval', '1'],
        { db },
      );
      let monitorOut = '';
      monitor.stdout?.on('data', (chunk: Buffer) => (monitorOut += chunk.toString()));
      let results: CliResult[];
      try {
        // The loop has checked the database at least twice: it opens and closes it.
        expect(await waitFor(() => (monitorOut.match(/GO: /g) ?? []).length >= 2, 60_000)).toBe(
          true,
        );
        const render = (i: number) => () => {
          const cohort = writeCohort(db.home, 10, `lane-${i}.csv`, `lane${i}-`);
          return runCli(['render', cohort, '--out', `out-${i}`, '--force'], { env: senderEnv, db });
        };
        const report = () => runCli(['report'], { db });
        results = (
          await Promise.all([
            lane([render(1), render(2), render(3)]),
            lane([report, report, report]),
          ])
        ).flat();
      } finally {
        monitor.kill('SIGTERM');
      }
      const stopped = await monitor;
      expect(results.map((r) => (r.exitCode === 0 ? 0 : `${r.exitCode}: ${r.stderr}`))).toEqual([
        0, 0, 0, 0, 0, 0,
      ]);
      expect(stopped.exitCode).toBe(130);
      // The monitor went on checking meanwhile.
      expect((stopped.stdout.match(/GO: /g) ?? []).length).toBeGreaterThan(2);
    });
  },
);
