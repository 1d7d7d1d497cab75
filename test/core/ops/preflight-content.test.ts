import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateCohort } from '../../../src/core/cohort/validate.js';
import {
  cohortItem,
  outDirItem,
  templatesItem,
} from '../../../src/core/ops/preflight/content-checks.js';
import { defaultTemplateDir } from '../../../src/core/render/templates.js';
import { senderEnv, writeCohort } from '../../helpers/render.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-preflight-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sender = {
  signupUrl: senderEnv.INVITE_SIGNUP_URL,
  feedbackUrl: senderEnv.INVITE_FEEDBACK_URL,
  from: senderEnv.INVITE_FROM,
};
const now = new Date('2026-05-01T08:00:00Z');

describe('cohortItem', () => {
  it('fails on soft checks unless forced, as render would', async () => {
    const report = await validateCohort(writeCohort(dir, 8, 'small.csv'), {
      minTotal: 50,
      minCreators: 5,
      minLabels: 3,
      checkUsers: false,
      keep: 5,
    });
    expect(report.verdict).toBe('warn');
    const strict = cohortItem(report, false);
    expect(strict.state).toBe('fail');
    expect(strict.detail).toMatch(/^soft checks fail \(render needs --force\): /);
    const forced = cohortItem(report, true);
    expect(forced.state).toBe('pass');
    expect(forced.detail).toMatch(
      /^8 recipient\(s\), 4 label\(s\), 4 creator row\(s\); forced past: /,
    );
  });
});

describe('templatesItem', () => {
  function templates(edit: (part: string, text: string) => string): string {
    const copy = fs.mkdtempSync(path.join(dir, 'tpl-'));
    for (const part of ['subject', 'text', 'html']) {
      const text = fs.readFileSync(path.join(defaultTemplateDir, `${part}.hbs`), 'utf8');
      fs.writeFileSync(path.join(copy, `${part}.hbs`), edit(part, text));
    }
    return copy;
  }

  it('passes the bundled templates with real URLs', async () => {
    const line = await templatesItem({
      sender,
      templateDir: defaultTemplateDir,
      extras: ['name'],
      timeZone: 'Europe/Paris',
      now,
    });
    expect(line.state).toBe('pass');
    expect(line.detail).toContain('https://beta.example.org/inscription?code=ABCDEFGHJKMNPQRS');
  });

  it('fails a template that leaves out the links', async () => {
    const templateDir = templates((part, text) =>
      part === 'text'
        ? text.replaceAll('{{signup_url}}', '').replaceAll('{{feedback_url}}', '')
        : text,
    );
    const line = await templatesItem({
      sender,
      templateDir,
      extras: [],
      timeZone: 'Europe/Paris',
      now,
    });
    expect(line).toEqual({
      id: 'templates',
      title: 'templates',
      state: 'fail',
      detail: 'the text part has no {{signup_url}}; the text part has no {{feedback_url}}',
    });
  });

  it("fails a template using a variable the cohort does not have, with render's message", async () => {
    const templateDir = templates((part, text) =>
      part === 'subject' ? '{{prenom}}, ' + text : text,
    );
    const line = await templatesItem({
      sender,
      templateDir,
      extras: [],
      timeZone: 'Europe/Paris',
      now,
    });
    expect(line.state).toBe('fail');
    expect(line.detail).toBe(
      `${path.join(templateDir, 'subject.hbs')} uses {{prenom}}, which is not a variable — known variables: code, email, cohort, signup_url, expires_at, feedback_url`,
    );
  });
});

describe('outDirItem', () => {
  it('says what an earlier render left in the folder', async () => {
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'manifest.jsonl'), '{"a":1}\n{"a":2}\n');
    fs.writeFileSync(path.join(out, 'sent.jsonl'), '{"a":1}\n');
    const line = await outDirItem(out, dir);
    expect(line.detail).toBe(
      'out/ holds 2 rendered invitation(s), 1 sent: render and send resume there',
    );
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, '');
    const refused = await outDirItem(file, dir);
    expect(refused.state).toBe('fail');
    expect(refused.detail).toBe(
      `cannot write to the output folder ${file}: exists and is not a folder — choose another folder with --out`,
    );
  });
});
