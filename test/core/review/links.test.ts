import { describe, expect, it } from 'vitest';
import { htmlLinks, linkProblem, textLinks } from '../../../src/core/review/links.js';

describe('htmlLinks', () => {
  it('reads every anchor as a browser would: entities, quotes, case, nested markup', () => {
    const html = `<p><a href="https://a.example/?x=1&amp;y=2">Créer <b>mon</b> compte</a>
<A HREF='javascript:alert(1)'>clic</A> <a data-href="https://decoy" href=&#106;avascript:void(0)>x</a>
<a name="anchor">no href</a> <a href="  http://plain.example  ">plain</a></p>`;
    expect(htmlLinks(html)).toEqual([
      { part: 'html', href: 'https://a.example/?x=1&y=2', label: 'Créer mon compte' },
      { part: 'html', href: 'javascript:alert(1)', label: 'clic' },
      { part: 'html', href: 'javascript:void(0)', label: 'x' },
      { part: 'html', href: 'http://plain.example', label: 'plain' },
    ]);
  });
});

describe('textLinks', () => {
  it('finds URLs of any scheme, without the punctuation after them', () => {
    const text =
      'Inscription : https://a.example/x?code=AB.\nAvis (http://b.example/f), javascript:alert(1) et mailto:x@y.org.';
    expect(textLinks(text).map((l) => l.href)).toEqual([
      'https://a.example/x?code=AB',
      'http://b.example/f',
      'javascript:alert(1)',
      'mailto:x@y.org',
    ]);
  });
});

describe('linkProblem', () => {
  it('accepts https only', () => {
    expect(linkProblem('https://a.example/')).toBeUndefined();
    expect(linkProblem('HTTPS://A.example/')).toBeUndefined();
    expect(linkProblem('http://a.example/')).toBe('not https (http:)');
    expect(linkProblem('java\tscript:alert(1)')).toBe('not https (javascript:)');
    expect(linkProblem('/relative')).toBe('not a valid absolute URL');
  });
});
