import { flag, option, type Source } from './define.js';
import { list, text, wholeNumber } from './value-types.js';

/**
 * Options shared by several commands, declared once: each command spreads the groups it
 * takes into its own options.
 */

/** `--json`. */
export const json = { json: flag('print one JSON document on stdout, and nothing else there') };

/** `--force` / `FORCE=1`. */
export const force = {
  force: flag('soft checks do not block', { env: 'FORCE' }),
};

/** The cohort's distribution checks (soft) and the allowed labels (hard). */
export const cohortChecks = {
  minTotal: option({
    value: 'n',
    help: 'soft minimum of recipients',
    parse: wholeNumber(),
    default: '50',
  }),
  minCreators: option({
    value: 'n',
    help: 'soft minimum of rows whose cohort starts with "creator"',
    parse: wholeNumber(),
    default: '5',
  }),
  minLabels: option({
    value: 'n',
    help: 'soft minimum of distinct cohort labels',
    parse: wholeNumber(),
    default: '3',
  }),
  labels: option({ value: 'a,b,c', help: 'the only cohort labels allowed (hard)', parse: list }),
};

/** What the invitations say and who sends them (render, preflight). */
export const sender = {
  template: option({
    value: 'dir',
    help: 'template folder with subject.hbs, text.hbs, html.hbs (default: the bundled one)',
    parse: text,
  }),
  signupUrl: option({
    value: 'url',
    help: 'signup page; the code is added as ?code= or replaces {code}',
    parse: text,
    env: 'INVITE_SIGNUP_URL',
  }),
  feedbackUrl: option({
    value: 'url',
    help: 'feedback form',
    parse: text,
    env: 'INVITE_FEEDBACK_URL',
  }),
  from: option({
    value: 'address',
    help: 'From: "Name <address>"',
    parse: text,
    env: 'INVITE_FROM',
  }),
  replyTo: option({
    value: 'address',
    help: 'Reply-To (default: the From address)',
    parse: text,
    env: 'INVITE_REPLY_TO',
  }),
  timeZone: option({
    value: 'zone',
    help: 'time zone of the expiry date in the copy',
    parse: text,
    default: 'Europe/Paris',
  }),
};

/** `--embedded` / `BETA_INVITES_EMBEDDED=1`: a real send may record to the embedded database. */
export const embedded = {
  embedded: flag(
    'permit a real send from the embedded database: a rehearsal whose codes no signup page knows',
    {
      env: 'BETA_INVITES_EMBEDDED',
    },
  ),
};

/** `--return-path`: the VERP envelope sender send uses and bounces reads back. */
export const returnPath = {
  returnPath: option({
    value: 'pattern',
    help: "the VERP envelope sender, {invite} standing for the invite id: 'bounces+{invite}@example.org'",
    parse: text,
    env: 'BETA_INVITES_RETURN_PATH',
  }),
};

/** How messages leave: an SMTP relay or a sendmail-compatible command (send, preflight). */
export const transport = {
  smtp: option({
    value: 'url',
    help: 'SMTP relay: smtp://USER:PASS@HOST:587 (STARTTLS) or smtps://…:465',
    parse: text,
    env: 'SMTP_URL',
    secret: true,
  }),
  sendCmd: option({
    value: 'cmd',
    help: 'sendmail-compatible command, message on stdin (default: msmtp)',
    parse: text,
    env: 'SEND_CMD',
  }),
};

type TransportOptions = { smtp: string | undefined; sendCmd: string | undefined };

/** The transport options split by origin: the command line wins over the environment. */
export function transportFlags(
  options: TransportOptions,
  sources: Readonly<Record<keyof TransportOptions, Source>>,
): { flags: TransportOptions; env: { smtpUrl: string | undefined; sendCmd: string | undefined } } {
  const from = (key: keyof TransportOptions, source: Source) =>
    sources[key] === source ? options[key] : undefined;
  return {
    flags: { smtp: from('smtp', 'cli'), sendCmd: from('sendCmd', 'cli') },
    env: { smtpUrl: from('smtp', 'env'), sendCmd: from('sendCmd', 'env') },
  };
}
