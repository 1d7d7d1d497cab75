// Case 5, start-up: the cost of launching the binary, against launching Node itself.
import process from 'node:process';
import { bin } from '../lib/config.js';
import { cohortFile } from '../lib/cohort-file.js';
import { interleave, time } from '../lib/measure.js';
import { run } from '../lib/proc.js';

export async function startupCase(config, { dir }) {
  const runs = config.n(15, 5);
  const small = await cohortFile(dir, 10);
  const commands = [
    { id: 'node', label: 'node -e 0', args: ['-e', '0'] },
    { id: 'help', label: 'beta-invites --help', args: [bin, '--help'] },
    {
      id: 'validate10',
      label: 'beta-invites validate-cohort (10 rows)',
      args: [bin, 'validate-cohort', small, '--min-total', '10', '--min-creators', '1'],
    },
  ];
  const samples = await interleave({
    runs,
    warmup: 2,
    variants: commands.map((c) => ({
      ...c,
      once: () => run(process.execPath, c.args, { usage: false }),
    })),
  });
  return {
    measurements: commands.map((c) =>
      time(
        { id: c.id, label: c.label, baseline: c.id === 'node' ? undefined : 'node' },
        samples[c.id],
      ),
    ),
    targets: [{ id: 'help', vs: 'node', max: 3, text: '--help under 3× node -e 0' }],
    notes: [`${runs} runs of each, interleaved, after 2 warm-ups`],
  };
}
