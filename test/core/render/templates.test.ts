import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/core/errors.js';
import { defaultTemplateDir, loadTemplates } from '../../../src/core/render/templates.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function templateDir(parts: Partial<Record<'subject' | 'text' | 'html', string>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-tpl-'));
  dirs.push(dir);
  const all = { subject: 'Invitation', text: '{{code}}', html: '<p>{{code}}</p>', ...parts };
  for (const [name, source] of Object.entries(all))
    fs.writeFileSync(path.join(dir, `${name}.hbs`), source);
  return dir;
}

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof UserError)
      return `${error.message}\n${error.hint ?? ''}`
        .replaceAll(os.tmpdir(), 'TMP')
        .replace(/bi-tpl-\w+/, 'DIR');
    throw error;
  }
  throw new Error('expected a UserError');
}

describe('loadTemplates', () => {
  const vars = {
    code: 'CODE',
    email: 'a@example.org',
    cohort: 'c',
    signup_url: 'https://x.test/?code=CODE',
    expires_at: '1 janvier',
    feedback_url: 'https://f.test',
  };

  it('refuses an unknown variable at start, naming it and the known ones', () => {
    const dir = templateDir({ text: 'Bonjour {{nmae}}, {{code}} {{#if name}}{{name}}{{/if}}' });
    expect(failure(() => loadTemplates(dir, ['name']))).toMatchInlineSnapshot(`
      "TMP/DIR/text.hbs uses {{nmae}}, which is not a variable
      known variables: code, email, cohort, signup_url, expires_at, feedback_url, name"
    `);
  });

  it('refuses unknown helpers and partials', () => {
    expect(failure(() => loadTemplates(templateDir({ html: '{{uppercase code}}' }), [])))
      .toMatchInlineSnapshot(`
      "TMP/DIR/html.hbs, line 1: the helper "uppercase" is not available
      "
    `);
    expect(failure(() => loadTemplates(templateDir({ html: '{{> footer}}' }), [])))
      .toMatchInlineSnapshot(`
      "TMP/DIR/html.hbs, line 1: partials ({{> …}}) are not supported
      "
    `);
    expect(failure(() => loadTemplates(templateDir({ text: '{{#if code}}' }), []))).toMatch(
      /text.hbs is not a valid template/,
    );
  });

  it('refuses unescaped values in the HTML part and {{log}} anywhere, naming the line', () => {
    const html = '<p>Bonjour</p>\n{{#if name}}\n  <p>{{{name}}}</p>\n{{/if}}';
    expect(failure(() => loadTemplates(templateDir({ html }), ['name']))).toMatchInlineSnapshot(`
      "TMP/DIR/html.hbs, line 3: {{{name}}} would put the value into the HTML part unescaped
      write {{name}}: the HTML part escapes every value"
    `);
    expect(failure(() => loadTemplates(templateDir({ html: '<p>{{code}}</p>\n{{& email}}' }), [])))
      .toMatchInlineSnapshot(`
      "TMP/DIR/html.hbs, line 2: {{{email}}} would put the value into the HTML part unescaped
      write {{email}}: the HTML part escapes every value"
    `);
    expect(
      failure(() => loadTemplates(templateDir({ text: '{{code}}\n\n{{log email cohort}}' }), [])),
    ).toMatchInlineSnapshot(`
      "TMP/DIR/text.hbs, line 3: {{log …}} is not allowed: it would print to the terminal while rendering
      remove it; to see what the emails hold, render with --dry-run and open the .eml files"
    `);
    expect(failure(() => loadTemplates(templateDir({ subject: '{{#log code}}x{{/log}}' }), [])))
      .toMatchInlineSnapshot(`
      "TMP/DIR/subject.hbs, line 1: {{log …}} is not allowed: it would print to the terminal while rendering
      remove it; to see what the emails hold, render with --dry-run and open the .eml files"
    `);
    // The text part is never escaped: three braces there change nothing, and are allowed.
    const plain = loadTemplates(templateDir({ text: '{{{code}}} {{email}}' }), []);
    expect(plain.templates.text({ ...vars, code: '<b>' })).toBe('<b> a@example.org');
  });

  it('allows a column only tested by #if, with a warning when the cohort lacks it', () => {
    const dir = templateDir({ text: 'Bonjour{{#if name}} {{name}}{{/if}} {{code}}' });
    const loaded = loadTemplates(dir, []);
    expect(loaded.warnings).toEqual([
      'the cohort has no "name" column: the templates\' {{#if name}} blocks stay empty',
    ]);
    expect(loaded.templates.text(vars)).toBe('Bonjour CODE');
    expect(loadTemplates(dir, ['name']).templates.text({ ...vars, name: 'Zoë' })).toBe(
      'Bonjour Zoë CODE',
    );
  });

  it('escapes HTML in the HTML part only', () => {
    const { templates } = loadTemplates(
      templateDir({ text: '{{name}}', html: '<p>{{name}}</p>', subject: '{{name}}' }),
      ['name'],
    );
    const name = '<script>alert("x")</script> & =';
    expect(templates.html({ ...vars, name })).toBe(
      '<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x3D;</p>',
    );
    expect(templates.text({ ...vars, name })).toBe(name);
    expect(templates.subject({ ...vars, name })).toBe(name);
  });

  it('loads the bundled French templates with the base variables only', () => {
    const { templates, warnings } = loadTemplates(defaultTemplateDir, []);
    expect(warnings).toHaveLength(1);
    const text = templates.text(vars);
    expect(text).toContain("Votre code d'invitation : CODE");
    expect(text).not.toMatch(/limit|urgent|dépêchez|vite|dernière chance|places/i);
    expect(templates.subject(vars)).toBe('Votre invitation à la bêta\n');
  });
});
