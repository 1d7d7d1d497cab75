import { ExitCode } from '../../core/errors.js';
import { defineCommand, flag, loadHandler, option, type OptionsOf } from '../shared/define.js';
import { DATABASE_ENV } from '../shared/help.js';
import { json } from '../shared/option-groups.js';
import { text } from '../shared/value-types.js';

const options = {
  anonymizeAfter: option({
    value: 'duration',
    help: 'keep addresses this long after expiry: 30d, 2w',
    parse: text,
    default: '30d',
  }),
  dryRun: flag('count only, change nothing'),
  ...json,
};

export type SweepOptions = OptionsOf<typeof options>;

export default defineCommand({
  name: 'sweep',
  description: 'count expired invites; anonymise those long expired and never redeemed (cron)',
  args: {},
  options,
  env: DATABASE_ENV,
  exits: {
    [ExitCode.ok]: 'done (including nothing to do)',
    [ExitCode.blocked]: 'database problem, or another sweep is running',
  },
  examples: [
    'beta-invites sweep --dry-run',
    '15 3 * * * cd /srv/beta && beta-invites sweep >> sweep.log 2>&1',
  ],
  load: () => loadHandler(import('./run.js'), import('./print.js')),
});
