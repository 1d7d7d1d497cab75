import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { indexPage, type IndexPage } from '../../../src/core/review/index-page.js';
import { srcdocOf } from '../../../src/core/review/preview.js';

const HOSTILE = '</script><script>alert(1)</script>';

function page(): IndexPage {
  const eml = {
    subject: `Invitation ${HOSTILE}`,
    from: 'beta@example.org',
    replyTo: '',
    to: ['a@example.org'],
    headers: [['Subject', `Invitation ${HOSTILE}`]] as [string, string][],
    html: `<html><head><title>x</title></head><body><p>${HOSTILE}</p><a href="javascript:x">y</a></body></html>`,
    text: `Bonjour ${HOSTILE}`,
  };
  return {
    folder: `out-${HOSTILE}`,
    builtAt: '2026-05-01T10:00:00.000Z',
    manifestSha256: 'a'.repeat(64),
    preview: false,
    summary: {
      total: 1,
      cohorts: [{ value: HOSTILE, count: 1 }],
      expiry: { first: '2027-01-01T00:00:00.000Z', last: '2027-01-01T00:00:00.000Z' },
      from: [{ value: eml.from, count: 1 }],
      replyTo: [{ value: '', count: 1 }],
      subjects: [{ value: eml.subject, count: 1 }],
      links: [
        { part: 'html', href: 'javascript:x', label: HOSTILE, count: 1, problem: 'not https' },
      ],
      warnings: [{ kind: 'unsafe-link', message: HOSTILE, count: 1, example: HOSTILE }],
    },
    variants: [{ label: 'A', count: 1, emptySlots: [], lineDelta: {} }],
    samples: [{ cohort: HOSTILE, variant: 'A', file: 'x.eml', page: 'r/00001.html', eml }],
    rows: [
      {
        email: 'a@example.org',
        cohort: HOSTILE,
        code: 'C',
        file: 'x.eml',
        variant: 'A',
        page: 'r/00001.html',
      },
    ],
  };
}

describe('indexPage', () => {
  const html = indexPage(page());

  it('has exactly one executable script, allowed by its hash and nothing else', () => {
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] ?? '');
    expect(scripts).toHaveLength(1);
    const hash = createHash('sha256')
      .update(scripts[0] ?? '')
      .digest('base64');
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    expect(csp).toBe(
      `default-src &#39;none&#39;; script-src &#39;sha256-${hash}&#39;; style-src &#39;unsafe-inline&#39;; img-src data:; frame-src &#39;none&#39;; base-uri &#39;none&#39;; form-action &#39;none&#39;`,
    );
  });

  it('lets no hostile value out of its element or attribute', () => {
    // The only raw </script> are the ends of the two script blocks (JSON and code).
    expect(html.split('</script>')).toHaveLength(3);
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<p></script>');
    const data = /<script type="application\/json" id="recipients-data">(.*?)<\/script>/.exec(html);
    expect(JSON.parse(data?.[1] ?? 'null')).toEqual(page().rows);
  });

  it('gives each frame a no-remote-load policy first in its head, sandboxed', () => {
    expect(srcdocOf('<html><head><title>x</title></head></html>')).toBe(
      `<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'"><title>x</title></head></html>`,
    );
    const frames = [...html.matchAll(/<iframe ([^>]*)>/g)].map((m) => m[1] ?? '');
    expect(frames).toHaveLength(2);
    for (const attributes of frames) {
      expect(attributes).toMatch(/^sandbox="" /);
      expect(attributes).not.toMatch(/srcdoc="[^"]*</);
    }
  });
});
