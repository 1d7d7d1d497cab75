import type { Context } from '../../core/context.js';
import type { ExitCode } from '../../core/errors.js';
import type { Parser } from './value-types.js';

/** A boolean switch: `--confirm`; its environment variable is on when set to 1/true/yes. */
export interface FlagSpec {
  readonly kind: 'flag';
  readonly help: string;
  readonly env?: string;
  readonly hidden?: boolean;
}

/**
 * An option that takes a value: `--rate <n/s>`. `parse` reads the text given on the
 * command line, in the environment or as the default, so all three agree by construction.
 */
export interface ValueSpec<T, Required extends boolean> {
  readonly kind: 'value';
  /** The placeholder in help: `n`, `url`, `duration`. */
  readonly value: string;
  readonly help: string;
  readonly parse: Parser<T>;
  /** The default as an operator would type it (shown in help, parsed like any value). */
  readonly default?: string;
  readonly env?: string;
  readonly hidden?: boolean;
  /** Printed masked when the command line is echoed (a URL's password). */
  readonly secret?: boolean;
  /** Phantom: whether the parsed value is always there (it has a default). */
  readonly present?: Required;
}

/** Any option of a command. */
export type OptionSpec = FlagSpec | ValueSpec<unknown, boolean>;

/** A positional argument: `<cohort.csv>`, or `[source]` when optional. */
export interface ArgSpec {
  readonly name: string;
  readonly help: string;
  /** May be left out (`bounces --imap URL` has no SOURCE). */
  readonly optional?: boolean;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;
export type ArgSpecs = Readonly<Record<string, ArgSpec>>;

type ValueOf<S> = S extends FlagSpec
  ? boolean
  : S extends ValueSpec<infer T, infer R>
    ? R extends true
      ? T
      : T | undefined
    : never;

/** The parsed options of a command: each option's value, and each argument's text. */
export type OptionsOf<O extends OptionSpecs, A extends ArgSpecs = Record<never, ArgSpec>> = {
  -readonly [K in keyof O]: ValueOf<O[K]>;
} & { -readonly [K in keyof A]: A[K] extends { optional: true } ? string | undefined : string };

/** Where an option's value came from. */
export type Source = 'cli' | 'env' | 'default' | 'unset';

/** How `Invocation.repeat` changes the command line. */
export interface RepeatChange<Options> {
  args?: readonly string[];
  extra?: readonly string[];
  drop?: readonly (keyof Options & string)[];
}

/** How this run was asked for, for commands whose output names the next command to run. */
export interface Invocation<Options> {
  /** Where each option's value came from. */
  readonly sources: Readonly<Record<keyof Options, Source>>;
  /**
   * This command line again (options from the environment left to it, secrets as ***),
   * with other `args` if given, `extra` words added and the options in `drop` left out.
   */
  repeat(change?: RepeatChange<Options>): string;
  /** True when a password was given on the command line (it is masked in `repeat`). */
  readonly secretOnCommandLine: boolean;
}

/** Shows what `run` returned: text on stdout, or one JSON document with `--json`. */
export type Printer<Options, Result> = (
  result: Result,
  options: Options,
  ctx: Pick<Context, 'out' | 'settings'>,
) => void;

/** A printer that writes the result as one JSON document with `--json`, else as `text`. */
export function jsonOrText<Options extends { json: boolean }, Result>(
  text: (result: Result, ctx: Pick<Context, 'out' | 'settings'>) => void,
): Printer<Options, Result> {
  return (result, options, ctx) => (options.json ? ctx.out.json(result) : text(result, ctx));
}

/** What a command does: `run` returns data, `exitCode` says what it means. */
export interface Runner<Options, Result> {
  run(options: Options, ctx: Context, invocation: Invocation<Options>): Promise<Result>;
  exitCode(result: Result, options: Options): ExitCode;
  /**
   * True when `run` watches `ctx.signal` and stops cleanly by itself (render, send,
   * monitor). Otherwise Ctrl-C closes the database and exits at once.
   */
  handlesInterrupt?: boolean;
}

/** A command's runner and printer together. */
export type Handler<Options, Result> = Runner<Options, Result> & {
  print: Printer<Options, Result>;
};

/** A handler as main sees it, its types erased. */
export type AnyHandler = Handler<never, never>;

/**
 * One subcommand, declared once: the CLI, its help, its validation and its runner are
 * all built from this. `load` imports the handler only when the command runs, so
 * `beta-invites --help` loads neither the database nor the mailer.
 */
export interface CommandDefinition<
  O extends OptionSpecs = OptionSpecs,
  A extends ArgSpecs = ArgSpecs,
> {
  readonly name: string;
  readonly description: string;
  readonly args: A;
  readonly options: O;
  /** Other environment variables the command reads, for its help. */
  readonly env?: Readonly<Record<string, string>>;
  /** Exit codes and their meaning, for its help (64, usage error, is added). */
  readonly exits: Readonly<Partial<Record<ExitCode, string>>>;
  /** One or two command lines, for its help. */
  readonly examples: readonly string[];
  readonly load: () => Promise<unknown>;
}

/** Declares a command, keeping the exact option types for `OptionsOf`. */
export function defineCommand<const O extends OptionSpecs, const A extends ArgSpecs>(
  definition: CommandDefinition<O, A>,
): CommandDefinition<O, A> {
  return definition;
}

/** Declares a command's runner for the options of its definition (types only). */
export function defineRunner<Options, Result>(
  runner: Runner<Options, Result>,
): Runner<Options, Result> {
  return runner;
}

/**
 * Imports a command's runner and printer (in parallel) for `load`. Printing lives apart
 * from running, and both agree on the options and the result.
 */
export async function loadHandler<Options, Result>(
  runner: Promise<{ default: Runner<Options, Result> }>,
  printer: Promise<{ default: Printer<Options, Result> }>,
): Promise<Handler<Options, Result>> {
  const [{ default: r }, { default: print }] = await Promise.all([runner, printer]);
  return { ...r, print };
}

/** A switch. */
export function flag(help: string, extra: Omit<FlagSpec, 'kind' | 'help'> = {}): FlagSpec {
  return { kind: 'flag', help, ...extra };
}

/** An option with a value and a default: always present once parsed. */
export function option<T>(
  spec: Omit<ValueSpec<T, true>, 'kind' | 'present'> & { default: string },
): ValueSpec<T, true>;
/** An option with a value and no default: undefined when not given. */
export function option<T>(spec: Omit<ValueSpec<T, false>, 'kind' | 'present'>): ValueSpec<T, false>;
export function option<T>(
  spec: Omit<ValueSpec<T, boolean>, 'kind' | 'present'>,
): ValueSpec<T, boolean> {
  return { kind: 'value', ...spec };
}

/** A required positional argument. */
export function arg(name: string, help: string): ArgSpec {
  return { name, help };
}

/** A positional argument that may be left out. */
export function optionalArg(name: string, help: string): ArgSpec & { optional: true } {
  return { name, help, optional: true };
}

/** `maxErrors` → `--max-errors`. */
export function flagName(key: string): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}
