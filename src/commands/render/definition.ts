import { ExitCode } from '../../core/errors.js';
import { arg, defineCommand, flag, loadHandler, option, type OptionsOf } from '../shared/define.js';
import { DATABASE_ENV } from '../shared/help.js';
import { cohortChecks, force, json, sender } from '../shared/option-groups.js';
import { text, wholeNumber } from '../shared/value-types.js';

const args = { file: arg('cohort.csv', 'the cohort file (validated first)') };

const options = {
  out: option({ value: 'dir', help: 'output folder (default: out-YYYY-MM-DD, UTC)', parse: text }),
  ...sender,
  expiresIn: option({
    value: 'duration',
    help: 'validity of new invites: 30d, 12h, 2w',
    parse: text,
    default: '30d',
  }),
  sentBy: option({
    value: 'email|uuid',
    help: 'the operator, from public.users (recorded as sent_by)',
    parse: text,
  }),
  ...cohortChecks,
  batchSize: option({
    value: 'n',
    help: 'recipients per database transaction',
    parse: wholeNumber(1, 100_000),
    default: '500',
    hidden: true,
  }),
  jobs: option({
    value: 'n',
    help: 'worker threads that build and write the .eml files, 1 to 256 (default: one per core)',
    parse: wholeNumber(1, 256),
    env: 'BETA_INVITES_JOBS',
  }),
  dryRun: flag('render with PREVIEW codes and touch no database (for CI)'),
  ...force,
  ...json,
};

export type RenderOptions = OptionsOf<typeof options, typeof args>;

export default defineCommand({
  name: 'render',
  description: 'create one invite per recipient and render a reviewable .eml for each',
  args,
  options,
  env: DATABASE_ENV,
  exits: {
    [ExitCode.ok]: 'every recipient rendered',
    [ExitCode.blocked]: 'blocked (a hard check, settings, database) or none rendered',
    [ExitCode.warn]:
      'soft checks failed (rerun with --force), or some recipients failed (failed.csv)',
    [ExitCode.interrupted]: 'interrupted: rerun the same command to finish',
  },
  examples: [
    'beta-invites render cohort.csv --dry-run --signup-url https://app.example.org/signup --feedback-url https://forms.example.org/f --from "Beta <beta@example.org>"',
    'INVITE_SIGNUP_URL=… INVITE_FEEDBACK_URL=… INVITE_FROM=… beta-invites render cohort.csv --out out-launch',
  ],
  load: () => loadHandler(import('./run.js'), import('./print.js')),
});
