import { ExitCode } from '../../core/errors.js';
import { DEFAULT_CONFIG } from '../../core/monitor/default-config.js';
import { arg, defineCommand, flag, loadHandler, option, type OptionsOf } from '../shared/define.js';
import { DATABASE_ENV } from '../shared/help.js';
import { cohortChecks, embedded, force, json, sender, transport } from '../shared/option-groups.js';
import { text } from '../shared/value-types.js';

const args = { file: arg('cohort.csv', 'the cohort file to check (as validate-cohort)') };

const options = {
  out: option({
    value: 'dir',
    help: 'the folder render will write: check it can be written',
    parse: text,
  }),
  config: option({ value: 'file', help: 'monitor config', parse: text, default: DEFAULT_CONFIG }),
  ...transport,
  ...sender,
  ...cohortChecks,
  checkUsers: flag('also look for cohort emails already in public.users'),
  ...force,
  ...embedded,
  ...json,
};

export type PreflightOptions = OptionsOf<typeof options, typeof args>;

export default defineCommand({
  name: 'preflight',
  description: 'the machine-checkable T-72h checklist: GO 0, NO-GO 1, INCOMPLETE 2',
  args,
  options,
  env: { ...DATABASE_ENV, PATH: 'where the send command is looked up' },
  exits: {
    [ExitCode.ok]: 'GO: every check ✅',
    [ExitCode.blocked]: 'NO-GO: a check 🔴',
    [ExitCode.warn]: 'INCOMPLETE: some check ⚪ (could not check), none 🔴',
  },
  examples: [
    'beta-invites preflight cohort.csv --out out-launch --smtp smtp://relay.example.org:587',
    'beta-invites preflight cohort.csv --config beta-invites.monitor.json --json',
  ],
  load: () => loadHandler(import('./run.js'), import('./print.js')),
});
