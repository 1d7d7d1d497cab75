import { ExitCode } from '../../core/errors.js';
import { defineCommand, loadHandler, option, type OptionsOf } from '../shared/define.js';
import { DATABASE_ENV } from '../shared/help.js';
import { json } from '../shared/option-groups.js';
import { oneOf, text } from '../shared/value-types.js';

const options = {
  format: option({
    value: 'format',
    help: 'table (the default), csv or json',
    parse: oneOf(['table', 'csv', 'json']),
  }),
  ...json,
  since: option({
    value: 'date',
    help: 'only invites created since YYYY-MM-DD (UTC) or an ISO 8601 time',
    parse: text,
  }),
  cohort: option({
    value: 'prefix',
    help: 'only cohorts whose label starts with this text',
    parse: text,
  }),
  out: option({
    value: 'dir',
    help: 'a render folder: its send-failed.jsonl counts in the failed column',
    parse: text,
  }),
};

export type ReportOptions = OptionsOf<typeof options>;

export default defineCommand({
  name: 'report',
  description:
    'attribution by cohort: invited, sent, redeemed, pending, expired, revoked, bounced, failed',
  args: {},
  options,
  env: DATABASE_ENV,
  exits: {
    [ExitCode.ok]: 'the report was printed',
    [ExitCode.blocked]: 'the database cannot be read (or is not migrated)',
  },
  examples: [
    'beta-invites report',
    'beta-invites report --format csv --since 2026-05-01 > report.csv',
  ],
  load: () => loadHandler(import('./run.js'), import('./print.js')),
});
