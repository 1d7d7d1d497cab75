import { redactUrls } from '../../core/db/url.js';
import {
  flagName,
  type ArgSpecs,
  type CommandDefinition,
  type OptionSpecs,
  type RepeatChange,
} from './define.js';
import type { Resolved } from './resolve.js';

/** Quotes one word so that a POSIX shell reads it back unchanged. */
export function quoteWord(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The command line that runs the command again with the options given on this command
 * line (those from the environment come from it again), secrets masked as `***`.
 * Other `args` replace the arguments, `extra` words follow them, options in `drop` are left out.
 */
export function repeatCommand(
  definition: CommandDefinition<OptionSpecs, ArgSpecs>,
  resolved: Pick<Resolved, 'texts'>,
  change: RepeatChange<Record<string, unknown>> = {},
): string {
  const words = ['beta-invites', definition.name];
  const args =
    change.args ??
    Object.keys(definition.args)
      .filter((key) => resolved.texts[key] !== undefined || !definition.args[key]?.optional)
      .map((key) => resolved.texts[key] ?? '');
  words.push(...args, ...(change.extra ?? []));
  for (const [key, spec] of Object.entries(definition.options)) {
    const given = resolved.texts[key];
    if (given === undefined || change.drop?.includes(key)) continue;
    if (spec.kind === 'flag') words.push(flagName(key));
    else words.push(flagName(key), spec.secret ? redactUrls(given) : given);
  }
  return words.map(quoteWord).join(' ');
}

/** True when an option given on the command line carries a password (shown as ***). */
export function secretOnCommandLine(
  definition: CommandDefinition<OptionSpecs, ArgSpecs>,
  resolved: Pick<Resolved, 'texts'>,
): boolean {
  return Object.entries(definition.options).some(([key, spec]) => {
    const given = resolved.texts[key];
    return (
      spec.kind === 'value' &&
      spec.secret === true &&
      given !== undefined &&
      redactUrls(given) !== given
    );
  });
}
