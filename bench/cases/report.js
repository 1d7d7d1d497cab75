// Case 4, report on a large table: seconds for `report --format json`, against opening
// the same database the way the binary does and counting its invites per cohort (the cost
// of starting and one bare GROUP BY over the same table).
import { URL, fileURLToPath } from 'node:url';
import process from 'node:process';
import { bin } from '../lib/config.js';
import { interleave, log, time } from '../lib/measure.js';
import { run, runBin } from '../lib/proc.js';

const dbTask = fileURLToPath(new URL('../lib/db-task.js', import.meta.url));

function checked(result, invites, what) {
  const counted = Number(result.stdout.trim());
  if (counted !== invites) throw new Error(`${what} counted ${counted} invites, not ${invites}`);
  return result;
}

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
          id: 'group',
          label: 'open the database, group by cohort',
          once: async () =>
            checked(
              await run(process.execPath, [dbTask, 'group-cohorts'], { env: target.env }),
              invites,
              'group by cohort',
            ),
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
        time(
          { id: 'group', label: 'open the database, select cohort, count(*) group by cohort' },
          samples.group,
        ),
        time({ id: 'report', label: 'report --format json', baseline: 'group' }, samples.report),
      ],
      targets: [{ id: 'report', vs: 'group', max: 2, text: 'report under 2× the bare GROUP BY' }],
      notes: [
        `${invites.toLocaleString('en-US')} invites over 12 cohorts (80% sent, 30% redeemed, ` +
          '2% revoked, the rest pending or expired), inserted set-based; whole processes',
      ],
    };
  } finally {
    await target.drop();
  }
}
