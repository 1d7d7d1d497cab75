import { ExitCode } from '../../core/errors.js';
import {
  defineCommand,
  flag,
  loadHandler,
  option,
  optionalArg,
  type OptionsOf,
} from '../shared/define.js';
import { DATABASE_ENV } from '../shared/help.js';
import { json, returnPath } from '../shared/option-groups.js';
import { text } from '../shared/value-types.js';

const args = {
  source: optionalArg(
    'source',
    'a Maildir, an mbox file, an .eml file or a folder of .eml files (or --imap)',
  ),
};

const options = {
  imap: option({
    value: 'url',
    help: 'read an IMAP mailbox instead, read-only: imaps://USER:PASS@HOST/INBOX or imap://… (STARTTLS)',
    parse: text,
    env: 'BOUNCES_IMAP_URL',
    secret: true,
  }),
  ...returnPath,
  dryRun: flag('read, attribute and count; record nothing'),
  ...json,
};

export type BouncesOptions = OptionsOf<typeof options, typeof args>;

export default defineCommand({
  name: 'bounces',
  description: 'record delivery failures (DSNs) from a mailbox: hard or soft, per invite',
  args,
  options,
  env: {
    ...DATABASE_ENV,
    BOUNCES_IMAP_PASSWORD:
      'the IMAP password, when the URL has none (keeps it off the command line)',
  },
  exits: {
    [ExitCode.ok]: 'every message recorded (or already recorded) or not a bounce',
    [ExitCode.blocked]:
      'the source cannot be read (missing, IMAP unreachable or login refused), or a database problem',
    [ExitCode.warn]: 'some messages listed: invite not found, unreadable, or no status',
  },
  examples: [
    "beta-invites bounces ~/Maildir --return-path 'bounces+{invite}@example.org'",
    "BOUNCES_IMAP_PASSWORD=… beta-invites bounces --imap 'imaps://bounces@mail.example.org/INBOX'",
  ],
  load: () => loadHandler(import('./run.js'), import('./print.js')),
});
