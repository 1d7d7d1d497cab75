import { UserError } from '../errors.js';

/** Where the invitation points and who it comes from (flags or INVITE_* variables). */
export interface SenderSettings {
  signupUrl: string;
  feedbackUrl: string;
  from: string;
  replyTo: string;
}

// Values an operator leaves in a template on purpose, to be replaced before the launch.
const PLACEHOLDER =
  /\b(todo|tbd|fixme|changeme|change[-_]me|placeholder|xxx+|your[-_])|<[^>]*>|\{\{|\}\}|\.\.\./i;

function checkUrl(name: string, flag: string, env: string, value: string | undefined): string {
  if (value === undefined) {
    throw new UserError(`${name} is not set`, { hint: `pass ${flag} URL or set ${env}` });
  }
  let url: URL;
  try {
    url = new URL(value.replace('{code}', 'CODE'));
  } catch {
    throw new UserError(`${name} "${value}" is not a URL`, {
      hint: `pass ${flag} https://… or set ${env}`,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new UserError(`${name} "${value}" is not an http(s) URL`, {
      hint: `pass ${flag} https://… or set ${env}`,
    });
  }
  if (PLACEHOLDER.test(value)) {
    throw new UserError(`${name} "${value}" is still a placeholder`, {
      hint: `put the real URL in ${flag} or ${env}`,
    });
  }
  return value;
}

const ADDRESS = /^(?:[^<>]*<\s*[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+\s*>|[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+)$/;

function checkAddress(name: string, flag: string, env: string, value: string | undefined): string {
  if (value === undefined)
    throw new UserError(`${name} is not set`, {
      hint: `pass ${flag} "Name <address>" or set ${env}`,
    });
  if (!ADDRESS.test(value.trim()) || /[\r\n]/.test(value)) {
    throw new UserError(`${name} "${value}" is not an address`, {
      hint: `use "Name <address@domain>" in ${flag} or ${env}`,
    });
  }
  if (PLACEHOLDER.test(value.replace(/<[^>]*>/, ''))) {
    throw new UserError(`${name} "${value}" is still a placeholder`, {
      hint: `put the real sender in ${flag} or ${env}`,
    });
  }
  return value.trim();
}

/** Checks the sender settings, refusing anything unset or still a placeholder. */
export function checkSender(input: Partial<Record<keyof SenderSettings, string>>): SenderSettings {
  const from = checkAddress('the sender (From)', '--from', 'INVITE_FROM', input.from);
  return {
    signupUrl: checkUrl('the signup URL', '--signup-url', 'INVITE_SIGNUP_URL', input.signupUrl),
    feedbackUrl: checkUrl(
      'the feedback URL',
      '--feedback-url',
      'INVITE_FEEDBACK_URL',
      input.feedbackUrl,
    ),
    from,
    replyTo: input.replyTo
      ? checkAddress('the Reply-To address', '--reply-to', 'INVITE_REPLY_TO', input.replyTo)
      : from,
  };
}

/** The domain of a From value, for Message-IDs. */
export function senderDomain(from: string): string {
  const match = /@([^\s>]+)>?\s*$/.exec(from);
  return (match?.[1] ?? 'localhost').toLowerCase();
}
