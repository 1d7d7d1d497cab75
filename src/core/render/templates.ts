import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { UserError } from '../errors.js';
import { templateVariables } from './variables.js';

/** The bundled invitation templates. */
export const defaultTemplateDir = fileURLToPath(
  new URL('../../../templates/email/beta_invite/', import.meta.url),
);

const PARTS = ['subject', 'text', 'html'] as const;
type Part = (typeof PARTS)[number];

/** The compiled invitation: one function per part, each taking the template variables. */
export type Templates = Record<Part, (vars: Record<string, string>) => string>;

// `log` is left out on purpose: it prints its arguments (every address) to the terminal
// while rendering, and breaks the one JSON document of --json.
const BUILT_IN_HELPERS = new Set(['if', 'unless', 'each', 'with', 'lookup']);

interface Node {
  type: string;
  [key: string]: unknown;
}

/** What a template reads: required names, and names only tested by `#if`/`#unless`. */
interface References {
  required: Set<string>;
  optional: Set<string>;
}

interface Scope {
  /** The HTML part, where every value must be escaped. */
  html: boolean;
  /** Inside `#each`/`#with`: the context changed, names are not checked. */
  shifted: boolean;
  /** Names guarded by an enclosing `{{#if name}}`: reading them there is safe. */
  guarded: ReadonlySet<string>;
}

function rootName(node: unknown): string | undefined {
  const p = node as { type?: string; data?: boolean; depth?: number; parts?: string[] };
  return p.type === 'PathExpression' && !p.data && p.depth === 0 ? p.parts?.[0] : undefined;
}

/** A refusal naming the template line of `node`. */
function refuse(node: Node, message: string, hint?: string): UserError {
  const line = (node.loc as { start?: { line?: number } } | undefined)?.start?.line ?? 1;
  return new UserError(`line ${line}: ${message}`, { hint });
}

/** `{{{x}}}` or `{{& x}}` in the HTML part: the value would go in as raw HTML. */
function refuseRaw(node: Node, scope: Scope): void {
  if (!scope.html || node.type !== 'MustacheStatement' || node.escaped !== false) return;
  const name = (node.path as { original?: unknown }).original;
  throw refuse(
    node,
    `{{{${String(name)}}}} would put the value into the HTML part unescaped`,
    `write {{${String(name)}}}: the HTML part escapes every value`,
  );
}

/**
 * Walks a template's syntax tree and collects the root variables it reads. Helpers other
 * than the built-in ones, partials and unescaped values in the HTML part are refused.
 */
function collect(node: Node, scope: Scope, refs: References): void {
  const visit = (child: unknown, inner: Scope = scope) => {
    if (child && typeof child === 'object' && 'type' in child) collect(child as Node, inner, refs);
  };
  switch (node.type) {
    case 'Program':
      return (node.body as Node[]).forEach((child) => visit(child));
    case 'MustacheStatement':
    case 'SubExpression':
    case 'BlockStatement': {
      refuseRaw(node, scope);
      const callee = (node.path as { original: string }).original;
      const params = (node.params as unknown[] | undefined) ?? [];
      const pairs = (node.hash as { pairs?: { value: unknown }[] } | undefined)?.pairs ?? [];
      const isCall = node.type === 'BlockStatement' || params.length > 0 || pairs.length > 0;
      if (!isCall) return visit(node.path);
      if (callee === 'log')
        throw refuse(
          node,
          '{{log …}} is not allowed: it would print to the terminal while rendering',
          'remove it; to see what the emails hold, render with --dry-run and open the .eml files',
        );
      if (!BUILT_IN_HELPERS.has(callee))
        throw refuse(node, `the helper "${callee}" is not available`);
      const tested =
        (callee === 'if' || callee === 'unless') && params.length === 1
          ? rootName(params[0])
          : undefined;
      if (tested && !scope.shifted) refs.optional.add(tested);
      else params.forEach((param) => visit(param));
      pairs.forEach((pair) => visit(pair.value));
      const shifted = scope.shifted || callee === 'each' || callee === 'with';
      const guarded = tested ? new Set([...scope.guarded, tested]) : scope.guarded;
      visit(node.program, { html: scope.html, shifted, guarded });
      return visit(node.inverse);
    }
    case 'PathExpression': {
      const name = rootName(node);
      if (name !== undefined && !scope.shifted && !scope.guarded.has(name)) refs.required.add(name);
      return;
    }
    case 'PartialStatement':
    case 'PartialBlockStatement':
      throw refuse(node, 'partials ({{> …}}) are not supported');
    default:
      return;
  }
}

function readPart(dir: string, part: Part): string {
  const file = path.join(dir, `${part}.hbs`);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    throw new UserError(`cannot read the template ${file}`, {
      hint: 'a template folder holds subject.hbs, text.hbs and html.hbs',
    });
  }
}

/** The text of each part, as read from the template folder. */
export type TemplateSources = Record<Part, string>;

/** The compiled templates, and warnings about optional variables the cohort lacks. */
export interface LoadedTemplates {
  templates: Templates;
  /** The text they were compiled from (worker threads compile the same text again). */
  sources: TemplateSources;
  warnings: string[];
}

/** Compiles checked template text (strict mode; HTML escaped, text and subject not). */
export function compileTemplates(sources: TemplateSources): Templates {
  const compiled = {} as Templates;
  for (const part of PARTS) {
    const template = Handlebars.compile(sources[part], { strict: true, noEscape: part !== 'html' });
    compiled[part] = (vars) => template(vars);
  }
  return compiled;
}

function parse(where: string, source: string, html: boolean): References {
  const refs: References = { required: new Set(), optional: new Set() };
  try {
    collect(
      Handlebars.parse(source) as unknown as Node,
      { html, shifted: false, guarded: new Set() },
      refs,
    );
  } catch (error) {
    if (error instanceof UserError)
      throw new UserError(`${where}, ${error.message}`, { hint: error.hint });
    const first = (error as Error).message.split('\n')[0] ?? '';
    throw new UserError(`${where} is not a valid template: ${first}`);
  }
  return refs;
}

/**
 * Loads and compiles the three parts (strict mode; HTML escaped, text and subject not).
 * A variable the cohort does not provide is refused here, at start, not discovered as an
 * empty string in 10,000 emails; one only tested by `{{#if x}}` is allowed, with a warning.
 */
export function loadTemplates(dir: string, extraColumns: string[]): LoadedTemplates {
  const known = templateVariables(extraColumns);
  const sources = {} as TemplateSources;
  const missing = new Set<string>();
  for (const part of PARTS) {
    const source = readPart(dir, part);
    const where = path.join(dir, `${part}.hbs`);
    const refs = parse(where, source, part === 'html');
    const unknown = [...refs.required].filter((name) => !known.includes(name));
    if (unknown.length > 0) {
      const list = unknown.map((n) => `{{${n}}}`).join(', ');
      throw new UserError(
        `${where} uses ${list}, which ${unknown.length === 1 ? 'is not a variable' : 'are not variables'}`,
        { hint: `known variables: ${known.join(', ')}` },
      );
    }
    for (const name of refs.optional) if (!known.includes(name)) missing.add(name);
    sources[part] = source;
  }
  const warnings = [...missing].map(
    (name) =>
      `the cohort has no "${name}" column: the templates' {{#if ${name}}} blocks stay empty`,
  );
  return { templates: compileTemplates(sources), sources, warnings };
}
