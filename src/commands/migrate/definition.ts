import { ExitCode } from '../../core/errors.js';
import { defineCommand, flag, loadHandler, option, type OptionsOf } from '../shared/define.js';
import { DATABASE_ENV } from '../shared/help.js';
import { json } from '../shared/option-groups.js';
import { text } from '../shared/value-types.js';

const options = {
  dir: option({
    value: 'dir',
    help: 'migrations folder (default: the bundled migrations/)',
    parse: text,
  }),
  status: flag('list applied and pending migrations (exit 2 when some are pending)'),
  dryRun: flag('print the SQL that would run, change nothing'),
  wait: flag('wait for another running migrate instead of failing'),
  ...json,
};

export type MigrateOptions = OptionsOf<typeof options>;

export default defineCommand({
  name: 'migrate',
  description: 'apply pending database migrations (advisory-locked, checksummed)',
  args: {},
  options,
  env: DATABASE_ENV,
  exits: {
    [ExitCode.ok]: 'applied, or up to date',
    [ExitCode.blocked]:
      'a migration failed (rolled back), drift, another migrate running, no users table',
    [ExitCode.warn]: 'with --status: migrations are pending',
    [ExitCode.interrupted]: 'interrupted: the running file was rolled back',
  },
  examples: [
    'beta-invites migrate --status',
    'DATABASE_URL=postgres://… beta-invites migrate --wait',
  ],
  load: () => loadHandler(import('./run.js'), import('./print.js')),
});
