import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { root } from '../helpers/paths.js';
import { senderEnv } from '../helpers/render.js';

/** Debian's chromium; CI installs it (.ci/run). Missing, these tests fail: they never skip. */
const CHROMIUM = '/usr/bin/chromium';
const output = path.join(root, 'test/output');

/** A page of the review, with everything it logged. */
interface Opened {
  page: Page;
  /** Console messages, page errors and CSP violations, as "type: text". */
  problems: string[];
  dialogs: string[];
}

let browser: Browser;
let work: string;

async function open(file: string, width = 1366): Promise<Opened> {
  const page = await browser.newPage();
  const problems: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => problems.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`pageerror: ${String(e)}`));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  // Reported by the page itself, so a blocked load is seen even without a console line.
  await page.evaluateOnNewDocument(`document.addEventListener('securitypolicyviolation', (e) =>
    console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));`);
  await page.setViewport({ width, height: 900 });
  await page.goto(`file://${file}`, { waitUntil: 'load' });
  return { page, problems, dialogs };
}

/**
 * Runs `expression` in the page or frame. Written as a string: the tests' TypeScript has
 * no DOM types, and this code runs in the browser, not in Node.
 */
async function inPage<T>(target: Pick<Page, 'evaluate'>, expression: string): Promise<T> {
  return (await target.evaluate(expression)) as T;
}

/** The text of every element matching `selector`, white space collapsed. */
function texts(target: Pick<Page, 'evaluate'>, selector: string): Promise<string[]> {
  return inPage(
    target,
    `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => (e.innerText ?? e.textContent).replace(/\\s+/g, ' ').trim())`,
  );
}

/** render --dry-run of a cohort, then review, both with the real binary. */
async function renderAndReview(name: string, csv: string, template?: string): Promise<string> {
  const dir = path.join(work, name);
  fs.writeFileSync(`${dir}.csv`, csv);
  const args = ['render', `${dir}.csv`, '--out', dir, '--dry-run', '--force'];
  const rendered = await runCli(template ? [...args, '--template', template] : args, {
    env: senderEnv,
    cwd: work,
  });
  expect(rendered.stderr).toBe('');
  expect(rendered.exitCode).toBe(0);
  const reviewed = await runCli(['review', dir], { cwd: work });
  expect(reviewed.exitCode, reviewed.stderr).toBe(0);
  return path.join(dir, 'review', 'index.html');
}

/** 24 recipients in 4 cohorts; 4 of them have no name (a second template variant). */
function cohortCsv(): string {
  const labels = ['creator-vinyl', 'creator-podcast', 'listener-jazz', 'press-music'];
  let text = 'email,cohort,name\n';
  for (let i = 0; i < 24; i++) {
    text += `person${i}@example.org,${labels[i % 4]},${i % 6 === 1 ? '' : `Zoë ${i}`}\n`;
  }
  return text;
}

/** A template that puts the name raw into the HTML and a CSV column into a link. */
function hostileTemplate(): string {
  const dir = path.join(work, 'hostile-template');
  fs.cpSync(path.join(root, 'templates/email/beta_invite'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'subject.hbs'), 'Invitation pour {{name}}\n');
  const html = fs.readFileSync(path.join(dir, 'html.hbs'), 'utf8');
  fs.writeFileSync(
    path.join(dir, 'html.hbs'),
    // Values are escaped by the templates (a {{{raw}}} value is refused at load); a script
    // written in the template itself still reaches the HTML part raw, for the sandbox test.
    html.replace(
      '<p>Merci',
      '<p>{{name}} <a href="{{homepage}}">mon site</a></p>\n<script>window.__pwned=4</script>\n<p>Merci',
    ),
  );
  const text = fs.readFileSync(path.join(dir, 'text.hbs'), 'utf8');
  fs.writeFileSync(path.join(dir, 'text.hbs'), text.replace('Merci', 'Site : {{homepage}}\nMerci'));
  return dir;
}

const HOSTILE_NAME = '<script>window.__pwned=1;alert(1)</script>';
const HOSTILE_COHORT = 'x</script><script>window.__pwned=2</script>';

let index: string;
let hostileIndex: string;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (CI installs it)`);
  }
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-review-browser-'));
  fs.mkdirSync(output, { recursive: true });
  index = await renderAndReview('out-plain', cohortCsv());
  hostileIndex = await renderAndReview(
    'out-hostile',
    'email,cohort,name,homepage\n' +
      'ok@example.org,creator-a,Zoë,https://zoe.example.org\n' +
      `evil@example.org,${HOSTILE_COHORT},${HOSTILE_NAME},javascript:window.__pwned=3\n`,
    hostileTemplate(),
  );
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu'],
  });
});
afterAll(async () => {
  await browser?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the review page in a browser', { timeout: 120_000 }, () => {
  it('loads without console errors, CSP violations or page errors', async () => {
    const { page, problems } = await open(index);
    await page.waitForSelector('#recipients-table tbody tr');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows the counts per cohort and the empty-name variant', async () => {
    const { page } = await open(index);
    const cohorts = await texts(page, '#summary .card:first-child tr');
    expect(cohorts).toEqual([
      'creator-podcast 6',
      'creator-vinyl 6',
      'listener-jazz 6',
      'press-music 6',
      'total 24',
    ]);
    const warnings = await texts(page, 'ul.warnings li');
    expect(warnings).toEqual([
      expect.stringMatching(/^a value is empty for 4 recipient\(s\) \(variant B\)/),
    ]);
    expect(await texts(page, 'article.sample h3')).toEqual([
      'creator-podcast · variant A · 00006-person5_example.org.eml',
      'creator-podcast · variant B · 00002-person1_example.org.eml',
      'creator-vinyl · variant A · 00001-person0_example.org.eml',
      'listener-jazz · variant A · 00003-person2_example.org.eml',
      'press-music · variant A · 00004-person3_example.org.eml',
      'press-music · variant B · 00008-person7_example.org.eml',
    ]);
    await page.close();
  });

  it('shows the invitation inside the sample frames, sandboxed, at two widths', async () => {
    const { page } = await open(index);
    const frames = await inPage<[string | null, string][]>(
      page,
      `[...document.querySelectorAll('#sample-1 iframe')].map((f) => [f.getAttribute('sandbox'), f.width])`,
    );
    expect(frames).toEqual([
      ['', '640'],
      ['', '375'],
    ]);
    const children = page.mainFrame().childFrames();
    expect(children.length).toBeGreaterThanOrEqual(2);
    for (const frame of children.slice(0, 2)) {
      const text = await inPage<string>(frame, 'document.body.textContent');
      expect(text).toContain('Votre code d');
      expect(text).toMatch(/PREVIEW[A-Z2-9]{9}/);
    }
    const [plain] = await texts(page, '#sample-1 pre.text');
    expect(plain).toContain('Pour créer votre compte avec ce code');
    await page.close();
  });

  it('filters the table as one types, and links each row to its preview', async () => {
    const { page } = await open(index);
    const count = async () => (await texts(page, '#recipients-count'))[0];
    expect(await count()).toBe('24 of 24 recipients');
    await page.type('#recipients-search', 'jazz person1');
    expect(await count()).toBe('3 of 24 recipients');
    expect(await texts(page, '#recipients-table tbody td:first-child')).toEqual([
      'person10@example.org',
      'person14@example.org',
      'person18@example.org',
    ]);
    await page.click('#recipients-table tbody tr a');
    await page.waitForSelector('header h1');
    expect(await texts(page, 'h1')).toEqual(['00011-person10_example.org.eml']);
    expect(await texts(page, 'iframe[sandbox=""]')).toHaveLength(2);
    await page.close();
  });

  it('runs none of the hostile values and shows them as text', async () => {
    const { page, problems, dialogs } = await open(hostileIndex);
    await page.waitForSelector('#recipients-table tbody tr');
    expect(dialogs).toEqual([]);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    // The template's raw <script> reached the frames, and the sandbox refused it.
    const blocked =
      /^error: Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed/;
    expect(problems.filter((p) => blocked.test(p)).length).toBeGreaterThan(0);
    expect(problems.filter((p) => !blocked.test(p))).toEqual([]);
    const cohorts = await texts(page, '#recipients-table tbody td:nth-child(2)');
    expect(cohorts).toContain(HOSTILE_COHORT);
    const headers = await texts(page, 'table.headers td');
    expect(headers).toContain(`Invitation pour ${HOSTILE_NAME}`);
    const unsafe = await texts(page, '#links tr:has(.bad)');
    expect(unsafe).toEqual([
      expect.stringContaining('javascript:window.__pwned=3'),
      expect.stringContaining('javascript:window.__pwned=3'),
    ]);
    await page.close();
  });

  it('writes screenshots of the page and of a sample at desktop and phone widths', async () => {
    for (const [name, width] of [
      ['desktop', 1366],
      ['narrow', 390],
    ] as const) {
      const { page } = await open(index, width);
      const top = path.join(output, `review-${name}.png`);
      const sample = path.join(output, `review-sample-${name}.png`);
      await page.screenshot({ path: top });
      // Frames outside the viewport are not painted: make the viewport as tall as the sample.
      await page.setViewport({ width, height: 4000 });
      const article = await page.$('#sample-2');
      await article?.scrollIntoView();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await article?.screenshot({ path: sample });
      for (const file of [top, sample]) expect(fs.statSync(file).size).toBeGreaterThan(10_000);
      await page.close();
    }
  });
});
