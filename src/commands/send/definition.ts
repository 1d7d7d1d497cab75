import { ExitCode } from '../../core/errors.js';
import { arg, defineCommand, flag, loadHandler, option, type OptionsOf } from '../shared/define.js';
import { DATABASE_ENV } from '../shared/help.js';
import { embedded, json, returnPath, transport } from '../shared/option-groups.js';
import { emailList, rate, text, wholeNumber } from '../shared/value-types.js';

const args = { dir: arg('dir', 'the folder beta-invites render wrote') };

const options = {
  confirm: flag('send for real; without it, only show what would be sent', { env: 'SEND' }),
  ...transport,
  ...returnPath,
  rate: option({
    value: 'n/s',
    help: 'at most this many messages per second (10/s, 600/m, 5000/h)',
    parse: rate,
  }),
  concurrency: option({
    value: 'n',
    help: 'messages handed to the transport at once (SMTP connections, command processes); a crash can repeat twice this at most',
    parse: wholeNumber(1, 100),
    default: '8',
  }),
  retries: option({
    value: 'n',
    help: 'retries of a transient failure (4xx, exit 75), with backoff',
    parse: wholeNumber(0, 20),
    default: '3',
  }),
  maxErrors: option({
    value: 'n',
    help: 'stop after this many consecutive failures (0: never)',
    parse: wholeNumber(),
    default: '10',
  }),
  acceptEdits: flag('send files changed since render as they are now'),
  ...embedded,
  requireApproval: flag(
    'refuse unless beta-invites review --approve approved the folder as it is now',
    {
      env: 'BETA_INVITES_REQUIRE_APPROVAL',
    },
  ),
  limit: option({
    value: 'n',
    help: 'a canary batch: send at most this many pending messages, in manifest order',
    parse: wholeNumber(1),
  }),
  cohort: option({
    value: 'label',
    help: 'send only to recipients of this cohort label',
    parse: text,
  }),
  testTo: option({
    value: 'addresses',
    help: 'a rehearsal: send one message per cohort to these addresses (comma-separated) instead of the recipients, recording nothing',
    parse: emailList,
  }),
  testSample: option({
    value: 'n',
    help: 'with --test-to: this many messages, spread over the cohorts',
    parse: wholeNumber(1, 100),
  }),
  ...json,
};

export type SendOptions = OptionsOf<typeof options, typeof args>;

export default defineCommand({
  name: 'send',
  description:
    'send the reviewed .eml files of a render folder, exactly once (dry run without --confirm)',
  args,
  options,
  env: { ...DATABASE_ENV, PATH: 'where the send command is looked up' },
  exits: {
    [ExitCode.ok]:
      'dry run; every pending message (of the batch) sent; nothing left to send; or every rehearsal copy accepted',
    [ExitCode.blocked]:
      'refused before sending, none sent, stopped by --max-errors, a log/database failure, or a rehearsal copy refused',
    [ExitCode.warn]: 'some sent, some failed (listed in send-failed.jsonl; a rerun retries them)',
    [ExitCode.interrupted]:
      'interrupted: in-flight messages finished and are recorded; rerun to resume',
  },
  examples: [
    'beta-invites send out-2026-05-01',
    'beta-invites send out-2026-05-01 --test-to me@example.org --confirm',
    "SMTP_URL='smtp://launch:…@smtp.example.org:587' beta-invites send out-2026-05-01 --confirm --rate 10/s",
  ],
  load: () => loadHandler(import('./run.js'), import('./print.js')),
});
