import { ExitCode } from '../../core/errors.js';
import { arg, defineCommand, flag, loadHandler, option, type OptionsOf } from '../shared/define.js';
import { DATABASE_ENV } from '../shared/help.js';
import { cohortChecks, force, json } from '../shared/option-groups.js';
import { oneOf } from '../shared/value-types.js';

const args = { file: arg('cohort.csv', 'the cohort file (header: email,cohort[,extra columns])') };

const options = {
  ...cohortChecks,
  checkUsers: flag('warn about emails already in public.users (needs the database)'),
  ...force,
  ...json,
  format: option({
    value: 'format',
    help: 'text, json (same as --json) or github (GitHub Actions annotations)',
    parse: oneOf(['text', 'json', 'github']),
    default: 'text',
  }),
};

export type ValidateOptions = OptionsOf<typeof options, typeof args>;

export default defineCommand({
  name: 'validate-cohort',
  description: 'check a cohort CSV: hard checks block (exit 1), soft ones warn (exit 2)',
  args,
  options,
  env: DATABASE_ENV,
  exits: {
    [ExitCode.ok]: 'valid (or only soft checks failed, with --force / FORCE=1)',
    [ExitCode.blocked]: 'a hard check failed (or the file cannot be read)',
    [ExitCode.warn]: 'a soft check failed (--force lets the next step go on)',
  },
  examples: [
    'beta-invites validate-cohort cohort.csv',
    'beta-invites validate-cohort cohort.csv --check-users --format github',
  ],
  load: () => loadHandler(import('./run.js'), import('./print.js')),
});
