import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { UserError, errnoCode } from '../errors.js';
import { GATE_NAMES, gatesConfig, tokenEnvNames } from '../gates/registry.js';
import { formatProblems } from './config-problems.js';

/** The monitor config file. Extra keys anywhere are errors; a gate left out is ⚪. */
export const monitorConfig = z
  .object({
    /** Each gate's own time limit, in seconds. */
    timeoutSeconds: z
      .number()
      .positive({ error: 'expected a number of seconds > 0' })
      .max(300, { error: 'expected at most 300 seconds' })
      .default(10),
    gates: gatesConfig,
  })
  .strict();
export type MonitorConfig = z.infer<typeof monitorConfig>;

/** The environment variables the config names as secrets (the gates' `tokenEnv`). */
export function tokenNames(config: MonitorConfig): string[] {
  return tokenEnvNames(config.gates);
}

/** How a message names the file: relative to where the operator stands when inside it. */
function display(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

async function readConfigText(file: string, shown: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT') {
      throw new UserError(`monitor config not found: ${shown}`, {
        hint: 'copy beta-invites.monitor.example.json to beta-invites.monitor.json and edit it, or pass --config FILE',
      });
    }
    const why =
      code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : code;
    throw new UserError(`cannot read monitor config ${shown}: ${why ?? String(error)}`);
  }
}

/** "line 3, column 5" from JSON.parse's "at position N" (worded differently across Node versions). */
function jsonWhere(text: string, error: unknown): string {
  const match = /position (\d+)/.exec(String(error));
  const at = match ? Number(match[1]) : Infinity;
  if (at >= text.trimEnd().length) return 'it ends too early';
  const before = text.slice(0, at);
  const lines = before.split('\n');
  return `at line ${lines.length}, column ${(lines.at(-1)?.length ?? 0) + 1}`;
}

/**
 * Reads and validates the monitor config. Every problem is reported at once with its
 * JSON path; a k6 summary path is taken relative to the config file, so cron can run
 * the monitor from anywhere.
 */
export async function loadMonitorConfig(file: string, cwd: string): Promise<MonitorConfig> {
  const absolute = path.resolve(cwd, file);
  const shown = display(absolute, cwd);
  const text = (await readConfigText(absolute, shown)).replace(/^\uFEFF/, '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UserError(`monitor config ${shown} is not valid JSON: ${jsonWhere(text, error)}`);
  }
  const parsed = monitorConfig.safeParse(json, { error: describeIssue });
  if (!parsed.success) {
    const problems = formatProblems(parsed.error.issues, GATE_NAMES);
    throw new UserError(
      `monitor config ${shown} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n` +
        problems.map((p) => `  ${p}`).join('\n'),
      { hint: 'see beta-invites.monitor.example.json for every key' },
    );
  }
  const config = parsed.data;
  const k6 = config.gates.k6_nightly;
  if (k6 && !/^https?:\/\//i.test(k6.summary)) {
    k6.summary = path.resolve(path.dirname(absolute), k6.summary);
  }
  return config;
}

const article = (word: string): string => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`);

function typeName(value: unknown): string {
  if (value === null) return 'null';
  return article(Array.isArray(value) ? 'array' : typeof value);
}

/** Plainer messages than zod's defaults for the two commonest mistakes. */
function describeIssue(issue: z.core.$ZodRawIssue): string | undefined {
  if (issue.code !== 'invalid_type') return undefined;
  if (issue.input === undefined) return 'required';
  return `expected ${article(issue.expected)}, got ${typeName(issue.input)}`;
}
