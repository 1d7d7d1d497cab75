import { describe, expect, it } from 'vitest';
import { buildProgram, COMMANDS, type Runner } from '../../../src/cli.js';
import { flagName, type OptionSpec } from '../../../src/commands/shared/define.js';
import { resolveOptions, type Resolved } from '../../../src/commands/shared/resolve.js';

type Definition = (typeof COMMANDS)[number];

/** Parses a command line with the real commander tree and resolves it as main does. */
async function parse(
  words: string[],
  env: Record<string, string> = {},
): Promise<Resolved & { name: string }> {
  let seen: { definition: Definition; raw: Parameters<Runner>[1] } | undefined;
  const program = buildProgram((definition, raw) => {
    seen = { definition, raw };
    return Promise.resolve();
  });
  await program.parseAsync(words, { from: 'user' });
  if (!seen) throw new Error(`no command ran for ${words.join(' ')}`);
  return { name: seen.definition.name, ...resolveOptions(seen.definition, { ...seen.raw, env }) };
}

function helpOf(name: string): string {
  const command = buildProgram(() => Promise.resolve()).commands.find((c) => c.name() === name);
  if (!command) throw new Error(`no command ${name}`);
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s) });
  command.outputHelp();
  return text.replace(/\s+/g, ' ');
}

/** Placeholder arguments for a command's positional arguments. */
function argsOf(definition: Definition): string[] {
  return Object.keys(definition.args).map((_, i) => `arg${i}`);
}

const valueOptions = COMMANDS.flatMap((definition) =>
  Object.entries(definition.options)
    .filter(
      (entry): entry is [string, Extract<OptionSpec, { kind: 'value' }>] =>
        entry[1].kind === 'value',
    )
    .map(([key, spec]) => ({ command: definition.name, definition, key, spec })),
);

const flags = COMMANDS.flatMap((definition) =>
  Object.entries(definition.options)
    .filter(([, spec]) => spec.kind === 'flag')
    .map(([key, spec]) => ({ command: definition.name, definition, key, spec })),
);

describe('every command is declared once: help, defaults and parsing agree', () => {
  it.each(COMMANDS.map((d) => [d.name, d] as const))(
    '%s: help lists each option with its default and variable, the exit codes and examples',
    (name, definition) => {
      const help = helpOf(name);
      for (const [key, spec] of Object.entries(definition.options)) {
        if (spec.hidden) {
          expect(help).not.toContain(`${flagName(key)} `);
          continue;
        }
        expect(help).toContain(flagName(key));
        if (spec.env) expect(help).toContain(`env: ${spec.env}`);
        if (spec.kind === 'value' && spec.default !== undefined)
          expect(help).toContain(`default: ${spec.default}`);
      }
      expect(help).toContain('Exit codes: 0 ');
      expect(help).toContain('64 usage error');
      expect(help).toMatch(/Examples: \$ beta-invites /);
      for (const example of definition.examples)
        expect(example).toMatch(new RegExp(`beta-invites ${name}\\b`));
    },
  );

  it.each(valueOptions.map((o) => [`${o.command} ${flagName(o.key)}`, o] as const))(
    '%s: the default, the flag and the variable give the same value',
    async (_label, { definition, key, spec }) => {
      const args = [definition.name, ...argsOf(definition)];
      const bare = await parse(args);
      if (spec.default === undefined) {
        expect(bare.options[key]).toBeUndefined();
        expect(bare.sources[key]).toBe('unset');
        return;
      }
      expect(bare.sources[key]).toBe('default');
      const given = await parse([...args, flagName(key), spec.default]);
      expect(given.sources[key]).toBe('cli');
      expect(given.options[key]).toEqual(bare.options[key]);
      expect(spec.parse(spec.default)).toEqual({ ok: true, value: bare.options[key] });
      if (spec.env) {
        const fromEnv = await parse(args, { [spec.env]: spec.default });
        expect(fromEnv.sources[key]).toBe('env');
        expect(fromEnv.options[key]).toEqual(bare.options[key]);
      }
    },
  );

  it.each(flags.map((o) => [`${o.command} ${flagName(o.key)}`, o] as const))(
    '%s: off by default, on from the command line or its variable',
    async (_label, { definition, key, spec }) => {
      const args = [definition.name, ...argsOf(definition)];
      expect((await parse(args)).options[key]).toBe(false);
      expect((await parse([...args, flagName(key)])).options[key]).toBe(true);
      if (spec.env) {
        expect((await parse(args, { [spec.env]: '1' })).options[key]).toBe(true);
        expect((await parse(args, { [spec.env]: '0' })).options[key]).toBe(false);
      }
    },
  );

  it('the command line wins over the variable, which wins over the default', async () => {
    const args = ['monitor'];
    expect((await parse(args, { CHECK_INTERVAL: '60' })).options.interval).toBe(60);
    expect(
      (await parse([...args, '--interval', '30'], { CHECK_INTERVAL: '60' })).options.interval,
    ).toBe(30);
    expect((await parse(args)).options.interval).toBe(300);
  });
});

describe('a flag shared by several commands is parsed the same way by each', () => {
  const cohortCommands = COMMANDS.filter((d) => 'minTotal' in d.options);

  it('every command with the cohort thresholds takes them from one declaration', () => {
    expect(cohortCommands.map((d) => d.name)).toEqual(['validate-cohort', 'render', 'preflight']);
    const [first, ...rest] = cohortCommands;
    for (const other of rest) {
      for (const key of ['minTotal', 'minCreators', 'minLabels', 'labels'] as const)
        expect(other.options[key as keyof typeof other.options]).toBe(
          first?.options[key as keyof typeof first.options],
        );
    }
  });

  it.each([
    ['--min-total', '0x10', '--min-total: expected a whole number ≥ 0 (got "0x10")'],
    ['--min-total', '', '--min-total: expected a whole number ≥ 0 (got "")'],
    ['--labels', ' , ', '--labels: expected a comma-separated list, e.g. a,b,c'],
  ])(
    '%s %j is the same usage error for validate-cohort, render and preflight',
    async (flag, value, message) => {
      const outcomes = await Promise.all(
        cohortCommands.map((d) =>
          parse([d.name, 'cohort.csv', flag, value]).then(
            () => 'accepted',
            (e: Error) => e.message,
          ),
        ),
      );
      expect(outcomes).toEqual(cohortCommands.map(() => message));
    },
  );
});
