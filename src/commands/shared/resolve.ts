import { envSwitch } from '../../core/config.js';
import { UsageError } from '../../core/errors.js';
import {
  flagName,
  type ArgSpecs,
  type CommandDefinition,
  type OptionSpec,
  type OptionSpecs,
  type Source,
} from './define.js';

/** What the command line gave: the positional arguments in order, and commander's options. */
export interface RawInput {
  args: readonly string[];
  cli: Readonly<Record<string, unknown>>;
  env: Readonly<Record<string, string | undefined>>;
}

/** The options of one run and where each came from. */
export interface Resolved {
  options: Record<string, unknown>;
  sources: Record<string, Source>;
  /** The text of each argument and of each option given on the command line (`''` for a switch). */
  texts: Record<string, string>;
}

function envText(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

type Outcome = { value: unknown; source: Source } | { problem: string };

function resolveOne(key: string, spec: OptionSpec, input: RawInput): Outcome {
  const given = input.cli[key];
  const fromEnv = spec.env === undefined ? undefined : input.env[spec.env];
  if (spec.kind === 'flag') {
    if (given === true) return { value: true, source: 'cli' };
    if (envSwitch(fromEnv)) return { value: true, source: 'env' };
    return { value: false, source: 'default' };
  }
  let text: string | undefined;
  let source: Source = 'unset';
  if (typeof given === 'string') [text, source] = [given, 'cli'];
  else if (envText(fromEnv) !== undefined) [text, source] = [envText(fromEnv), 'env'];
  else if (spec.default !== undefined) [text, source] = [spec.default, 'default'];
  if (text === undefined) return { value: undefined, source };
  const parsed = spec.parse(text);
  if (parsed.ok) return { value: parsed.value, source };
  const label = source === 'env' ? `${spec.env}` : flagName(key);
  return { problem: `${label}: ${parsed.problem}` };
}

/**
 * Turns what commander parsed into a command's typed options: the command line first,
 * then the option's environment variable, then its default, each read by the option's
 * own parser. Every problem is reported in one usage error.
 */
export function resolveOptions(
  definition: CommandDefinition<OptionSpecs, ArgSpecs>,
  input: RawInput,
): Resolved {
  const options: Record<string, unknown> = {};
  const sources: Record<string, Source> = {};
  const texts: Record<string, string> = {};
  const problems: string[] = [];
  Object.keys(definition.args).forEach((key, i) => {
    const text = input.args[i];
    const missing = text === undefined && definition.args[key]?.optional === true;
    if (!missing && (text === undefined || text.trim() === ''))
      problems.push(`${definition.args[key]?.name ?? key}: expected a value`);
    options[key] = text;
    sources[key] = missing ? 'unset' : 'cli';
    if (!missing) texts[key] = text ?? '';
  });
  for (const [key, spec] of Object.entries(definition.options)) {
    const outcome = resolveOne(key, spec, input);
    if ('problem' in outcome) problems.push(outcome.problem);
    else [options[key], sources[key]] = [outcome.value, outcome.source];
    const given = input.cli[key];
    if (given === true) texts[key] = '';
    else if (typeof given === 'string') texts[key] = given;
  }
  if (problems.length > 0) {
    throw new UsageError(problems.join('; '), `see beta-invites ${definition.name} --help`);
  }
  return { options, sources, texts };
}
