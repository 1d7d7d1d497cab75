import { errnoCode } from '../errors.js';
import fs from 'node:fs/promises';
import { z } from 'zod';
import { getJson } from './http.js';
import { readThresholds, summaryTimestamp } from './k6-summary.js';
import { GateUnknown, fail, pass, unknown, type GateDeps, type GateOutcome } from './outcome.js';

/** `gates.k6_nightly` in the monitor config. */
export const k6NightlyConfig = z
  .object({
    /** A JSON file (relative to the config file) or an http(s) URL. */
    summary: z.string().min(1, { error: 'expected a file path or URL' }),
    maxAgeHours: z.number().positive({ error: 'expected a number of hours > 0' }).default(26),
  })
  .strict();
export type K6NightlyConfig = z.infer<typeof k6NightlyConfig>;

interface Loaded {
  body: unknown;
  /** Last-Modified or the file's mtime: the age when the summary carries no timestamp. */
  modified: Date | undefined;
}

const isUrl = (s: string): boolean => /^https?:\/\//i.test(s);

async function loadFile(file: string, deps: GateDeps): Promise<Loaded> {
  let text: string;
  let modified: Date;
  try {
    text = await fs.readFile(file, { encoding: 'utf8', signal: deps.signal });
    modified = (await fs.stat(file)).mtime;
  } catch (error) {
    if (deps.signal.aborted) throw error;
    const code = errnoCode(error);
    if (code === 'ENOENT') throw new GateUnknown(`no summary at ${file}`);
    if (code === 'EACCES') throw new GateUnknown(`cannot read ${file} (permission denied)`);
    throw new GateUnknown(`cannot read ${file} (${code ?? String(error)})`);
  }
  try {
    return { body: JSON.parse(text) as unknown, modified };
  } catch {
    throw new GateUnknown(`${file} is not JSON`);
  }
}

async function loadUrl(url: string, deps: GateDeps): Promise<Loaded> {
  const { body, response } = await getJson(url, {}, deps);
  const header = response.headers.get('last-modified');
  const at = header === null ? NaN : Date.parse(header);
  return { body, modified: Number.isNaN(at) ? undefined : new Date(at) };
}

function hours(ms: number): number {
  return Math.round(Math.max(0, ms) / 360_000) / 10;
}

/** The last nightly k6 summary: younger than `maxAgeHours` and no threshold failed. */
export async function checkK6Nightly(
  config: K6NightlyConfig,
  deps: GateDeps,
): Promise<GateOutcome> {
  const { body, modified } = isUrl(config.summary)
    ? await loadUrl(config.summary, deps)
    : await loadFile(config.summary, deps);
  const thresholds = readThresholds(body);
  if (!thresholds) return unknown('not a k6 summary (no metrics)');
  const stamp = summaryTimestamp(body);
  if (stamp === null) return unknown('the summary\'s "timestamp" is not a date');
  const at = stamp ?? modified;
  if (!at) return unknown('cannot tell the summary\'s age (no "timestamp", no Last-Modified)');
  const age = hours(deps.clock().getTime() - at.getTime());
  const problems: string[] = [];
  if (age > config.maxAgeHours)
    problems.push(`summary is ${age}h old (max ${config.maxAgeHours}h)`);
  const { total, failed } = thresholds;
  if (failed.length > 0) {
    problems.push(`${failed.length} of ${total} thresholds failed: ${failed.join(', ')}`);
  }
  if (problems.length > 0) return fail(problems.join('; '), age);
  const checked =
    total === 0 ? 'no thresholds defined' : `${total} threshold${total === 1 ? '' : 's'} passed`;
  return pass(`summary ${age}h old (max ${config.maxAgeHours}h), ${checked}`, age);
}
