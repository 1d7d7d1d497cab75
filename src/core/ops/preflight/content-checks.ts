import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import type { CohortReport } from '../../cohort/validate.js';
import { OUTDIR } from '../../outdir/files.js';
import { readJsonLines } from '../../outdir/json-lines.js';
import { composeInvitation, variablesOf, type ComposeSettings } from '../../render/compose.js';
import { checkOutDir } from '../../render/outdir.js';
import { checkSender, type SenderSettings } from '../../render/sender.js';
import { loadTemplates } from '../../render/templates.js';
import { attempt, item, type PreflightItem } from './items.js';

/** validate-cohort's verdict as one line: soft checks block unless forced, as in render. */
export function cohortItem(report: CohortReport, forced: boolean): PreflightItem {
  const { rows, labels, creators } = report.stats;
  const shape = `${rows} recipient(s), ${labels} label(s), ${creators} creator row(s)`;
  const failing = report.checks.filter((c) => c.status === 'fail');
  const soft = report.checks.filter((c) => c.status === 'warn');
  const describe = (checks: typeof failing) =>
    checks.map((c) => `${c.title}: ${c.detail}`).join('; ');
  const more = `beta-invites validate-cohort ${report.file} lists every row`;
  if (failing.length > 0) return item('cohort', 'cohort', 'fail', `${describe(failing)} — ${more}`);
  if (soft.length > 0 && !forced) {
    const detail = `soft checks fail (render needs --force): ${describe(soft)} — ${more}`;
    return item('cohort', 'cohort', 'fail', detail);
  }
  if (soft.length > 0) {
    return item('cohort', 'cohort', 'pass', `${shape}; forced past: ${describe(soft)}`);
  }
  return item('cohort', 'cohort', 'pass', shape);
}

/** What the templates check needs: render's flags and settings, and the cohort's columns. */
export interface TemplatesInput {
  sender: Partial<Record<keyof SenderSettings, string>>;
  templateDir: string;
  /** Extra columns of the cohort (template variables). */
  extras: string[];
  timeZone: string;
  now: Date;
}

// A sample invite: never stored, never sent; a well-formed code so links look real.
const SAMPLE_CODE = 'ABCDEFGHJKMNPQRS';

function missingLinks(settings: ComposeSettings, vars: Record<string, string>): string[] {
  const { templates } = settings;
  const text = templates.text(vars);
  const html = templates.html(vars);
  const missing: string[] = [];
  for (const name of ['signup_url', 'feedback_url'] as const) {
    const url = vars[name] ?? '';
    if (!text.includes(url)) missing.push(`the text part has no {{${name}}}`);
    if (!html.includes(Handlebars.Utils.escapeExpression(url)) && !html.includes(url)) {
      missing.push(`the HTML part has no {{${name}}}`);
    }
  }
  return missing;
}

/**
 * Render's own refusals (unset or placeholder URLs and sender, templates using unknown
 * variables), then one sample invitation composed for real, whose text and HTML must
 * both carry the signup and feedback links.
 */
export function templatesItem(input: TemplatesInput): Promise<PreflightItem> {
  return attempt('templates', 'templates', async () => {
    const sender = checkSender(input.sender);
    const { templates, warnings } = loadTemplates(input.templateDir, input.extras);
    const settings: ComposeSettings = { sender, templates, timeZone: input.timeZone };
    const extras = Object.fromEntries(input.extras.map((c) => [c, `sample ${c}`]));
    const invitation = {
      inviteId: '00000000-0000-4000-8000-000000000000',
      code: SAMPLE_CODE,
      email: 'sample@example.org',
      cohort: 'sample',
      expiresAt: new Date(input.now.getTime() + 30 * 86_400_000),
      createdAt: input.now,
      extras,
      preview: true,
    };
    await composeInvitation(invitation, settings);
    const vars = variablesOf(invitation, settings);
    const missing = missingLinks(settings, vars);
    if (missing.length > 0) return { state: 'fail', detail: missing.join('; ') };
    const subject = templates.subject(vars).replace(/\s+/g, ' ').trim();
    const note = warnings.length > 0 ? `; ${warnings.join('; ')}` : '';
    return {
      state: 'pass',
      detail: `"${subject}" from ${sender.from}, links ${vars.signup_url} and ${sender.feedbackUrl}${note}`,
    };
  });
}

/** The folder render will write: writable, and what an earlier run left there. */
export function outDirItem(dir: string, cwd: string): Promise<PreflightItem> {
  return attempt('out', 'output folder', () => {
    checkOutDir(dir);
    const shown = path.relative(cwd, dir) || '.';
    if (!fs.existsSync(dir)) return { state: 'pass', detail: `${shown}/ can be created` };
    const rendered = readJsonLines(path.join(dir, OUTDIR.manifest)).length;
    const sent = readJsonLines(path.join(dir, OUTDIR.sent)).length;
    if (rendered === 0) return { state: 'pass', detail: `${shown}/ exists and can be written` };
    return {
      state: 'pass',
      detail: `${shown}/ holds ${rendered} rendered invitation(s), ${sent} sent: render and send resume there`,
    };
  });
}
