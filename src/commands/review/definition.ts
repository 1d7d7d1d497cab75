import { ExitCode } from '../../core/errors.js';
import { arg, defineCommand, flag, loadHandler, option, type OptionsOf } from '../shared/define.js';
import { json } from '../shared/option-groups.js';
import { text } from '../shared/value-types.js';

const args = { dir: arg('dir', 'the folder beta-invites render wrote') };

const options = {
  open: flag('open the page with xdg-open (open on macOS)'),
  approve: flag('record that the folder was reviewed, in DIR/approved.json (needs --by)'),
  by: option({ value: 'name', help: 'who approves, with --approve', parse: text }),
  ...json,
};

export type ReviewOptions = OptionsOf<typeof options, typeof args>;

export default defineCommand({
  name: 'review',
  description: 'write a review page of a render folder (DIR/review/index.html); approve it',
  args,
  options,
  exits: {
    [ExitCode.ok]: 'page written (warnings do not change it), or approval recorded',
    [ExitCode.blocked]:
      'no manifest, a listed .eml missing, or --approve without an up-to-date review page',
  },
  examples: [
    'beta-invites review out-2026-05-01 --open',
    'beta-invites review out-2026-05-01 --approve --by "Alice Martin"',
  ],
  load: () => loadHandler(import('./run.js'), import('./print.js')),
});
