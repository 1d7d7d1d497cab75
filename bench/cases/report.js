// Case 4, report on a large table: seconds for `report --format json`, against opening
// the same database and counting the invites (the cost of starting and one scan).
import { URL, fileURLToPath } from 'node:url';
import process from 'node:process';
import { bin } from '../lib/config.js';
import { interleave, log, time } from '../lib/measure.js';
import { run, runBin } from '../lib/proc.js';

const dbTask = fileURLToPath(new URL('../lib/db-task.js', import.meta.url));

async function reportOnce(env, invites) {
  const result = await runBin(bin, ['report', '--format', 'json'], { env });
  const invited = JSON.parse(result.stdout).total?.invited;
  if (invited !== invites) throw new Error(`report counted ${invited} invites, not ${invites}`);
  return result;
}

export async function reportCase(config, { db }) {
  const invites = config.n(1_000_000, 10_000);
  const target = await db.fresh();
  try {
    const seeded = await run(process.execPath, [dbTask, 'seed-report', String(invites)], {
      env: target.env,
    });
    log(`seeded ${invites} invites in ${seeded.seconds.toFixed(1)} s`);
    const samples = await interleave({
      runs: config.runs,
      variants: [
        {
          id: 'scan',
          label: 'open the database, count(*)',
          once: () => run(process.execPath, [dbTask, 'scan'], { env: target.env }),
        },
        {
          id: 'report',
          label: `report --format json (${invites} invites)`,
          once: () => reportOnce(target.env, invites),
        },
      ],
    });
    return {
      measurements: [
        time({ id: 'scan', label: 'open the database and count the invites' }, samples.scan),
        time({ id: 'report', label: 'report --format json', baseline: 'scan' }, samples.report),
      ],
      targets: [],
      notes: [
        `${invites.toLocaleString('en-US')} invites over 12 cohorts (80% sent, 30% redeemed, ` +
          '2% revoked, the rest pending or expired), inserted set-based; whole processes',
      ],
    };
  } finally {
    await target.drop();
  }
}
