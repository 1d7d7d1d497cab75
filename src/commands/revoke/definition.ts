import { ExitCode } from '../../core/errors.js';
import { arg, defineCommand, flag, loadHandler, option, type OptionsOf } from '../shared/define.js';
import { DATABASE_ENV } from '../shared/help.js';
import { json } from '../shared/option-groups.js';
import { nonBlank } from '../shared/value-types.js';

const args = { target: arg('code|email', 'an invite code or an address') };

const options = {
  reason: option({
    value: 'text',
    help: 'why, recorded with the invite',
    parse: nonBlank('expected a reason', {
      max: 500,
      message: 'keep the reason under 500 characters',
    }),
  }),
  dryRun: flag('print what would change, change nothing'),
  ...json,
};

export type RevokeOptions = OptionsOf<typeof options, typeof args>;

export default defineCommand({
  name: 'revoke',
  description: 'end the pending invites of a person or a code (never a redeemed one)',
  args,
  options,
  env: DATABASE_ENV,
  exits: {
    [ExitCode.ok]: 'revoked (or already expired or revoked: nothing to do)',
    [ExitCode.blocked]: 'not found, or one of the invites is redeemed: nothing was changed',
  },
  examples: [
    'beta-invites revoke alice@example.org --reason "asked to be removed" --dry-run',
    'beta-invites revoke ABCD-EFGH-JKMN-PQRS --reason "code shared publicly"',
  ],
  load: () => loadHandler(import('./run.js'), import('./print.js')),
});
