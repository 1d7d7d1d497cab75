import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composeInvitation, type Invitation } from '../../../src/core/render/compose.js';
import { InvitationBuilder, signupUrlMaker } from '../../../src/core/render/invitation-builder.js';
import { signupUrl } from '../../../src/core/render/variables.js';
import {
  defaultTemplateDir,
  loadTemplates,
  type Templates,
} from '../../../src/core/render/templates.js';
import { frenchInvitation as base, frenchSender as sender } from '../../helpers/invitation.js';

/** Fixed messages and the sha256 of the bytes the release before the direct builder wrote. */
const PINNED: [string, Partial<Invitation>, string][] = [
  [
    'the reference invitation',
    {},
    '9ed3c615896f34d7e2348bbe78b00b188f8893a459c1dac234d19e982d0ecccb',
  ],
  [
    'a preview',
    { preview: true },
    '4410fc96d189f0980449ea4d57617df11a0e8e041ef02763ffb1c6f13d0d715a',
  ],
  [
    'no name',
    { extras: { name: '', locale: 'fr' } },
    '52ef3a2cd6451536395d9eb07636f9d62f16856836d43dfafca5ba674afe5692',
  ],
  [
    'a hostile name',
    { extras: { name: 'Eve\r\nBcc: victim@evil.test <script>=</script>  ', locale: 'fr' } },
    '06722cfafd4bb46691bdafbdfaff351c56f3f6149ed011295596a656f68bc2ea',
  ],
  [
    'a long name and another invite',
    {
      inviteId: 'ffffffff-0000-4000-8000-000000000001',
      code: 'AAAABBBBCCCCDDDD',
      email: 'Jean-Édouard.O.Brien+beta@Example.COM',
      extras: { name: 'Jean-Édouard '.repeat(12), locale: 'fr' },
    },
    '1e6fa9a560b0fef3d0de0568a9e67984f34e52bc55c4af2288d017bd895774ff',
  ],
];

describe('composeInvitation, pinned bytes', () => {
  const { templates } = loadTemplates(defaultTemplateDir, ['name', 'locale']);
  for (const [what, extra, sha] of PINNED) {
    it(`writes ${what} byte for byte as before`, async () => {
      const bytes = await composeInvitation(
        { ...base, ...extra },
        { sender, templates, timeZone: 'Europe/Paris' },
      );
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(sha);
    });
  }
});

/** Templates made of fixed text around the variables, the way an operator writes them. */
function templatesOf(subject: string, text: string, html: string): Templates {
  return {
    subject: (v) => `${subject}${v.name ?? ''}`,
    text: (v) => (text === '' ? '' : `${text}${v.name ?? ''}\n${v.code}\n${v.signup_url}\n${text}`),
    html: (v) => (html === '' ? '' : `<p>${html}${v.name ?? ''}</p>\r\n<p>${v.code}</p>${html}`),
  };
}

describe('InvitationBuilder', () => {
  const { templates } = loadTemplates(defaultTemplateDir, ['name', 'locale']);
  const settings = { sender, templates, timeZone: 'Europe/Paris' };

  it('builds the pinned messages without MailComposer', () => {
    const builder = new InvitationBuilder(settings);
    for (const [what, extra, sha] of PINNED) {
      const bytes = builder.buildDirect({ ...base, ...extra });
      expect(bytes, what).toBeDefined();
      expect(
        createHash('sha256')
          .update(bytes ?? '')
          .digest('hex'),
        what,
      ).toBe(sha);
    }
  });

  it('gives MailComposer’s bytes for varied names, subjects, bodies and senders', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 120 }),
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.string({
        unit: fc.constantFrom(
          'a',
          'Z',
          ' ',
          '=',
          '\r',
          '\n',
          '\r\n',
          '\t',
          'é',
          'ß',
          '😀',
          '.',
          '?',
          '_',
        ),
        maxLength: 300,
      }),
      fc.constantFrom(
        '',
        ' ',
        'x'.repeat(200),
        'mot '.repeat(40),
        'Zoë Vézina',
        '=?UTF-8?Q?abc?=',
        'Eve\r\nBcc: victim@evil.test',
        'trailing spaces   ',
        'Jean-Édouard '.repeat(12),
        'anticonstitutionnellementanticonstitutionnellementanticonstitutionnellement',
      ),
    );
    const email = fc.constantFrom(
      'zoe.vezina@example.net',
      'Jean-Édouard.O.Brien+beta@Example.COM',
      'a.b@EXAMPLE.org',
      "o'brien@example.ie",
      'user@bücher.example',
      'x'.repeat(60) + '@example.org',
    );
    const from = fc.constantFrom(
      "L'équipe bêta <beta@example.org>",
      'beta@example.org',
      '"Équipe, bêta" <beta@example.org>',
      'Une équipe au nom très long qui dépasse la largeur d’une ligne <beta@example.org>',
    );
    const input = fc.record({
      subject: text,
      text,
      html: text,
      name: text,
      email,
      from,
      preview: fc.boolean(),
      id: fc.uuid(),
      created: fc.date({
        min: new Date('2000-01-01'),
        max: new Date('2099-12-31'),
        noInvalidDate: true,
      }),
    });
    let direct = 0;
    await fc.assert(
      fc.asyncProperty(input, async (i) => {
        const s = {
          sender: { ...sender, from: i.from, replyTo: i.from },
          templates: templatesOf(i.subject, i.text, i.html),
          timeZone: 'Europe/Paris',
        };
        const invitation: Invitation = {
          ...base,
          inviteId: i.id,
          email: i.email,
          createdAt: i.created,
          extras: { name: i.name, locale: 'fr' },
          preview: i.preview,
        };
        const builder = new InvitationBuilder(s);
        if (builder.buildDirect(invitation)) direct++;
        const built = await builder.build(invitation);
        const composed = await composeInvitation(invitation, s);
        expect(built.toString('latin1')).toBe(composed.toString('latin1'));
      }),
      { numRuns: 500, seed: 20261205 },
    );
    // Most of them took the direct way: the comparison is not only MailComposer with itself.
    expect(direct).toBeGreaterThan(250);
  });

  it('takes the direct way for ordinary invitations and MailComposer’s for the rest', () => {
    const builder = new InvitationBuilder(settings);
    expect(builder.buildDirect({ ...base, extras: { name: 'Zoë', locale: 'fr' } })).toBeDefined();
    const empty = new InvitationBuilder({ ...settings, templates: templatesOf('s', '', 'h') });
    expect(empty.buildDirect(base)).toBeUndefined();
    const blanks = new InvitationBuilder({
      ...settings,
      templates: { ...templates, html: () => 'é ends with a blank ' },
    });
    expect(blanks.buildDirect(base)).toBeUndefined();
  });
});

describe('signupUrlMaker', () => {
  it('gives signupUrl’s URL for every kind of base and code', () => {
    const bases = [
      'https://beta.example.org/inscription',
      'https://beta.example.org/inscription?ref=mail&code=old',
      'https://beta.example.org/a b/?x=%20y#section',
      'https://beta.example.org/join/{code}?again={code}',
      'http://[::1]:8080/?Q9MARKERQ9=1',
    ];
    const codes = ['K7M2QX9PRT4WZ8HN', 'PREVIEW-0001', 'a b&c=d', 'é', ''];
    for (const base of bases) {
      const make = signupUrlMaker(base);
      for (const code of codes) expect(make(code), `${base} ${code}`).toBe(signupUrl(base, code));
    }
  });
});
