import { ExitCode } from '../../core/errors.js';
import { arg, defineCommand, loadHandler, option, type OptionsOf } from '../shared/define.js';
import { DATABASE_ENV } from '../shared/help.js';
import { json } from '../shared/option-groups.js';
import { text } from '../shared/value-types.js';

const args = {
  target: arg('code|email', 'an invite code (any case, spaces and dashes ignored) or an address'),
};

const options = {
  out: option({
    value: 'dir',
    help: 'also show the .eml file and ledger lines from this render folder',
    parse: text,
  }),
  ...json,
};

export type ShowOptions = OptionsOf<typeof options, typeof args>;

export default defineCommand({
  name: 'show',
  description: 'every invite of a person or a code: state, dates, operator, files',
  args,
  options,
  env: DATABASE_ENV,
  exits: {
    [ExitCode.ok]: 'found',
    [ExitCode.blocked]: 'no invite found (or the database cannot be read)',
  },
  examples: [
    'beta-invites show ABCD-EFGH-JKMN-PQRS',
    'beta-invites show alice@example.org --out out-2026-05-01',
  ],
  load: () => loadHandler(import('./run.js'), import('./print.js')),
});
