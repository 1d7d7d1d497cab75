import fc from 'fast-check';
import MailComposer from 'nodemailer/lib/mail-composer';
import { describe, expect, it } from 'vitest';
import { buildDirect, buildMessage } from '../../../src/core/render/mime-build.js';

type Options = ConstructorParameters<typeof MailComposer>[0];

/** An invitation-shaped message; `part` goes into the subject, both bodies and a header. */
function message(part: string, extra: Partial<Options> = {}): Options {
  return {
    from: `"${part.slice(0, 40)}" <beta@example.org>`,
    to: 'zoe.vezina@example.net',
    subject: `Invitation ${part}`.replace(/[\r\n]+/g, ' '),
    text: `Bonjour ${part},\n\nVotre code : K7M2QX9PRT4WZ8HN\n`,
    html: `<p>Bonjour ${part},</p>\n<p><a href="https://beta.example.org/?code=K7M2">ici</a></p>\n`,
    date: new Date('2026-11-26T17:00:00Z'),
    messageId: '<invite-0b6f3c1e@example.org>',
    baseBoundary: '0b6f3c1e5d2a4c9e8f103a7b9c2d4e51',
    headers: { 'X-Beta-Invite-Id': '0b6f3c1e-5d2a-4c9e-8f10-3a7b9c2d4e51' },
    textEncoding: 'quoted-printable',
    ...extra,
  };
}

/** Both ways of building the same message: nodemailer's stream, and the one-pass build. */
async function bothWays(options: Options): Promise<[string | undefined, string]> {
  const streamed = await new MailComposer(options).compile().build();
  const direct = buildDirect(new MailComposer(options).compile());
  return [direct?.toString('latin1'), streamed.toString('latin1')];
}

describe('buildMessage', () => {
  it('gives the bytes of nodemailer’s own build for arbitrary text in every part', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.constantFrom('Zoë Vézina', 'Eve\r\nBcc: victim@evil.test', '<script>alert(1)</script>'),
      fc.string({
        unit: fc.constantFrom('a', ' ', '=', '\r', '\n', '\t', 'é', '😀', '.'),
        maxLength: 400,
      }),
    );
    await fc.assert(
      fc.asyncProperty(text, async (part) => {
        const [direct, streamed] = await bothWays(message(part));
        expect(direct).toBe(streamed);
      }),
      { numRuns: 400, seed: 20261126 },
    );
  });

  it('gives the same bytes for long lines, 7-bit bodies and a missing HTML part', async () => {
    const cases: Options[] = [
      message('x'.repeat(5000)),
      message('plain ascii', { text: 'short ascii text\n', html: '<p>ascii</p>' }),
      message('no html', { html: undefined }),
      message('no line break at the end', { text: 'fin', html: '<p>fin</p>' }),
      message('7-bit with trailing blanks', { text: 'ends with blanks   ' }),
    ];
    for (const options of cases) {
      const [direct, streamed] = await bothWays(options);
      expect(direct).toBe(streamed);
    }
  });

  it('leaves to nodemailer’s stream what one pass would not write the same way', async () => {
    const cases: Options[] = [
      message('trailing blanks', { text: 'se termine par des blancs é   ' }),
      message('larger than one encoder slice', { text: 'é'.repeat(70_000) }),
      message('base64', { textEncoding: 'base64', text: '€'.repeat(100) }),
    ];
    for (const options of cases) {
      expect(buildDirect(new MailComposer(options).compile())).toBeUndefined();
      const streamed = await new MailComposer(options).compile().build();
      const built = await buildMessage(new MailComposer(options).compile());
      expect(built.equals(streamed)).toBe(true);
    }
  });
});
