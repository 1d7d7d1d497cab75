import { describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { checkSender, senderDomain } from '../../../src/core/render/sender.js';

const good = {
  signupUrl: 'https://beta.example.org/inscription',
  feedbackUrl: 'https://forms.example.org/retours',
  from: "L'équipe <beta@example.org>",
};

function problem(input: Record<string, string | undefined>): string {
  try {
    checkSender({ ...good, ...input });
  } catch (error) {
    if (error instanceof UserError) return `${error.message} | ${error.hint ?? ''}`;
    throw error;
  }
  return 'accepted';
}

describe('checkSender', () => {
  it('accepts real values and defaults Reply-To to From', () => {
    expect(checkSender(good)).toEqual({ ...good, replyTo: good.from });
    expect(senderDomain(good.from)).toBe('example.org');
  });

  it('refuses what is unset, not a URL, or still a placeholder', () => {
    expect(problem({ signupUrl: undefined })).toMatchInlineSnapshot(
      `"the signup URL is not set | pass --signup-url URL or set INVITE_SIGNUP_URL"`,
    );
    expect(problem({ feedbackUrl: undefined })).toMatchInlineSnapshot(
      `"the feedback URL is not set | pass --feedback-url URL or set INVITE_FEEDBACK_URL"`,
    );
    expect(problem({ feedbackUrl: 'https://typeform.com/to/TODO' })).toMatchInlineSnapshot(
      `"the feedback URL "https://typeform.com/to/TODO" is still a placeholder | put the real URL in --feedback-url or INVITE_FEEDBACK_URL"`,
    );
    expect(problem({ feedbackUrl: 'https://forms.example.org/{{TYPEFORM_ID}}' })).toMatch(
      /still a placeholder/,
    );
    expect(problem({ signupUrl: 'https://<your-domain>/signup' })).toMatch(
      /still a placeholder|not a URL/,
    );
    expect(problem({ signupUrl: 'beta.example.org' })).toMatchInlineSnapshot(
      `"the signup URL "beta.example.org" is not a URL | pass --signup-url https://… or set INVITE_SIGNUP_URL"`,
    );
    expect(problem({ signupUrl: 'ftp://beta.example.org' })).toMatch(/not an http\(s\) URL/);
    expect(problem({ from: undefined })).toMatchInlineSnapshot(
      `"the sender (From) is not set | pass --from "Name <address>" or set INVITE_FROM"`,
    );
    expect(problem({ from: 'beta at example' })).toMatch(/is not an address/);
    expect(problem({ from: 'Beta <beta@example.org>\r\nBcc: x@evil.test' })).toMatch(
      /is not an address/,
    );
    expect(problem({ replyTo: 'changeme@example.org' })).toMatch(/still a placeholder/);
  });

  it('keeps a {code} slot in the signup URL', () => {
    expect(problem({ signupUrl: 'https://beta.example.org/i/{code}' })).toBe('accepted');
  });
});
