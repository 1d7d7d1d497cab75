import { ExitCode } from '../../core/errors.js';
import { flagName, type ArgSpecs, type CommandDefinition, type OptionSpecs } from './define.js';

/** Where the database is, for every command that uses one. */
export const DATABASE_ENV: Readonly<Record<string, string>> = {
  DATABASE_URL: 'a PostgreSQL server (unset: the embedded database)',
  'PGHOST, PGDATABASE, …': 'libpq variables, as psql reads them: a server too',
  BETA_INVITES_HOME: 'where the embedded database lives (default ./.beta-invites)',
};

function table(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
}

/** The environment variables of a command: those of its options, then the others. */
export function environmentOf(
  definition: CommandDefinition<OptionSpecs, ArgSpecs>,
): [string, string][] {
  const rows: [string, string][] = [];
  for (const [key, spec] of Object.entries(definition.options)) {
    if (spec.env && !spec.hidden) rows.push([spec.env, `same as ${flagName(key)}`]);
  }
  for (const [name, meaning] of Object.entries(definition.env ?? {})) rows.push([name, meaning]);
  return rows;
}

/**
 * What `--help` prints after the options: the environment variables, the exit codes and
 * examples, so that an operator under stress finds them without the README.
 */
export function helpFooter(definition: CommandDefinition<OptionSpecs, ArgSpecs>): string {
  const lines: string[] = [];
  const env = environmentOf(definition);
  if (env.length > 0) lines.push('', 'Environment:', ...table(env));
  const exits: [string, string][] = Object.entries(definition.exits).map(([code, meaning]) => [
    code,
    meaning ?? '',
  ]);
  exits.push([String(ExitCode.usage), 'usage error (unknown flag, bad value, missing argument)']);
  exits.sort(([a], [b]) => Number(a) - Number(b));
  lines.push('', 'Exit codes:', ...table(exits));
  lines.push('', 'Examples:', ...definition.examples.map((example) => `  $ ${example}`));
  return lines.join('\n');
}

/** An option's line in `--help`: its help, then its environment variable and default. */
export function optionHelp(spec: OptionSpecs[string]): string {
  const notes: string[] = [];
  if (spec.env) notes.push(`env: ${spec.env}`);
  if (spec.kind === 'value' && spec.default !== undefined) notes.push(`default: ${spec.default}`);
  return notes.length > 0 ? `${spec.help} (${notes.join('; ')})` : spec.help;
}
