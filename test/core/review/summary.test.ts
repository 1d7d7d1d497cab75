import { describe, expect, it } from 'vitest';
import { summarize, type RecipientFacts } from '../../../src/core/review/summary.js';
import { analyzeVariants } from '../../../src/core/review/variants.js';

function recipient(i: number, overrides: Partial<RecipientFacts> = {}): RecipientFacts {
  const code = `CODE${i}XYZ`;
  const email = `person${i}@example.org`;
  return {
    email,
    cohort: i % 2 === 0 ? 'creator-vinyl' : 'listener-jazz',
    code,
    file: `0000${i}-person${i}_example.org.eml`,
    expiresAt: `2027-01-0${(i % 3) + 1}T09:00:00.000Z`,
    subject: 'Votre invitation à la bêta',
    from: 'Équipe <beta@example.org>',
    replyTo: 'support@example.org',
    to: [email],
    links: [
      { part: 'html', href: `https://beta.example.org/?code=${code}`, label: 'Créer mon compte' },
      { part: 'text', href: `https://beta.example.org/?code=${code}`, label: '' },
    ],
    changed: false,
    ...overrides,
  };
}

function summary(recipients: RecipientFacts[]) {
  const parts = recipients.map((r) => ({ subject: r.subject, text: 'Bonjour,', html: '' }));
  return summarize(recipients, analyzeVariants(parts));
}

describe('summarize', () => {
  it('counts cohorts, the expiry range, senders, and masks codes in links', () => {
    const s = summary([0, 1, 2, 3, 4].map((i) => recipient(i)));
    expect(s.total).toBe(5);
    expect(s.cohorts).toEqual([
      { value: 'creator-vinyl', count: 3 },
      { value: 'listener-jazz', count: 2 },
    ]);
    expect(s.expiry).toEqual({
      first: '2027-01-01T09:00:00.000Z',
      last: '2027-01-03T09:00:00.000Z',
    });
    expect(s.from).toEqual([{ value: 'Équipe <beta@example.org>', count: 5 }]);
    expect(s.links).toEqual([
      {
        part: 'html',
        href: 'https://beta.example.org/?code={code}',
        label: 'Créer mon compte',
        count: 5,
        problem: undefined,
      },
      {
        part: 'text',
        href: 'https://beta.example.org/?code={code}',
        label: '',
        count: 5,
        problem: undefined,
      },
    ]);
    expect(s.warnings).toEqual([]);
  });

  it('warns about long subjects, unsafe links, edited files, wrong recipients, several senders', () => {
    const long =
      'Une invitation à la bêta de la version 2.0, pour l’essayer ensemble avant tout le monde';
    const s = summary([
      recipient(0, { subject: long }),
      recipient(1, {
        links: [
          { part: 'html', href: 'javascript:alert(1)', label: 'clic' },
          { part: 'text', href: 'http://forms.example.org/avis', label: '' },
        ],
      }),
      recipient(2, { changed: true, from: 'Autre <other@example.org>' }),
      recipient(3, { to: ['someone@example.org', 'person3@example.org'] }),
    ]);
    expect(s.warnings.map((w) => `${w.kind} ×${w.count} ${w.example ?? ''}: ${w.message}`))
      .toMatchInlineSnapshot(`
      [
        "long-subject ×1 00000-person0_example.org.eml: the subject is over 78 characters for 1 recipient(s)",
        "changed-file ×1 00002-person2_example.org.eml: 1 file(s) changed since render (send refuses them without --accept-edits)",
        "to-mismatch ×1 00003-person3_example.org.eml: 1 file(s) are not addressed to their manifest recipient alone (send refuses them)",
        "several-senders ×1 00000-person0_example.org.eml: the files have 2 different From and 1 different Reply-To values",
        "unsafe-link ×1 00001-person1_example.org.eml: html link "javascript:alert(1)": not https (javascript:)",
        "unsafe-link ×1 00001-person1_example.org.eml: text link "http://forms.example.org/avis": not https (http:)",
      ]
    `);
  });

  it('does not count a subject of exactly 78 characters as long', () => {
    expect(summary([recipient(0, { subject: 'é'.repeat(78) })]).warnings).toEqual([]);
    expect(summary([recipient(0, { subject: 'é'.repeat(79) })]).warnings[0]?.kind).toBe(
      'long-subject',
    );
  });

  it('reports an optional value empty for some recipients, with its place', () => {
    const recipients = [0, 1, 2].map((i) => recipient(i));
    const parts = ['Bonjour Zoë,', 'Bonjour,', 'Bonjour Ana,'].map((text) => ({
      subject: 'S',
      text,
      html: '',
    }));
    const s = summarize(recipients, analyzeVariants(parts));
    expect(s.warnings).toMatchInlineSnapshot(`
      [
        {
          "count": 1,
          "example": "00001-person1_example.org.eml",
          "kind": "empty-value",
          "message": "a value is empty for 1 recipient(s) (variant B), probably an optional column: text line 1 "Bonjour{…},"",
        },
      ]
    `);
  });
});
