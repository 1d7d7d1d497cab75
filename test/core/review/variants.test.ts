import { describe, expect, it } from 'vitest';
import type { Parts } from '../../../src/core/review/mask.js';
import { maskRecipient } from '../../../src/core/review/mask.js';
import { analyzeVariants } from '../../../src/core/review/variants.js';

function invitation(name: string | undefined, extraLine?: string): Parts {
  const greeting = `Bonjour${name ? ` ${name}` : ''},`;
  return {
    subject: 'Votre invitation',
    text: [greeting, '', 'Votre code : {code}', ...(extraLine ? [extraLine] : []), "L'équipe"].join(
      '\n',
    ),
    html: `<p>${greeting}</p>\n<p>{code}</p>`,
  };
}

describe('analyzeVariants', () => {
  it('puts recipients with and without a name in two variants, naming the empty value', () => {
    const analysis = analyzeVariants([
      invitation('Zoë'),
      invitation(undefined),
      invitation('Ana'),
      invitation('Zoël'),
    ]);
    expect(analysis.variantOf).toEqual(['A', 'B', 'A', 'A']);
    expect(analysis.variants).toMatchInlineSnapshot(`
      [
        {
          "count": 3,
          "emptySlots": [],
          "label": "A",
          "lineDelta": {},
        },
        {
          "count": 1,
          "emptySlots": [
            {
              "after": ",",
              "before": "Bonjour",
              "line": 1,
              "part": "text",
            },
            {
              "after": ",</p>",
              "before": "<p>Bonjour",
              "line": 1,
              "part": "html",
            },
          ],
          "label": "B",
          "lineDelta": {},
        },
      ]
    `);
  });

  it('cuts a value at word boundaries: a name that starts another is not empty', () => {
    const analysis = analyzeVariants([invitation('Zoë'), invitation('Zoël'), invitation('Zoë')]);
    expect(analysis.variants).toHaveLength(1);
    expect(analysis.variants[0]?.emptySlots).toEqual([]);
  });

  it('makes one variant of a folder where everyone differs only by name', () => {
    const names = Array.from({ length: 50 }, (_, i) => `Personne ${i}`);
    const analysis = analyzeVariants(names.map((n) => invitation(n)));
    expect(analysis.variants.map((v) => [v.label, v.count])).toEqual([['A', 50]]);
  });

  it('tells an optional block (fewer lines) apart, with the difference', () => {
    const analysis = analyzeVariants([
      invitation('Zoë', 'Votre ville : Lyon'),
      invitation('Ana', 'Votre ville : Nantes'),
      invitation('Léa'),
    ]);
    expect(analysis.variantOf).toEqual(['A', 'A', 'B']);
    expect(analysis.variants[1]?.lineDelta).toEqual({ text: -1 });
  });

  it('is empty for no recipients and one variant for one recipient', () => {
    expect(analyzeVariants([]).variants).toEqual([]);
    expect(analyzeVariants([invitation(undefined)]).variants).toHaveLength(1);
  });
});

describe('maskRecipient', () => {
  it('hides the code, the address (any case) and French dates', () => {
    const text =
      'Code ABCD2345 pour Alice@Example.org, https://x.org/?code=ABCD2345, valable jusqu’au 3 janvier 2027 ou 1er mai 2027.';
    expect(maskRecipient(text, { code: 'ABCD2345', email: 'alice@example.org' })).toBe(
      'Code {code} pour {email}, https://x.org/?code={code}, valable jusqu’au {date} ou {date}.',
    );
  });
});
