import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from './helpers/cli.js';
import { bin, root } from './helpers/paths.js';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-cli-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** The subcommands `--help` lists, with their descriptions. */
function listed(help: string): Map<string, string> {
  const section = help.split('\nCommands:\n')[1] ?? '';
  const commands = new Map<string, string>();
  for (const line of section.split('\n')) {
    const match = /^ {2}([a-z-]+)(?: \S+)*? {2,}(\S.*)$/.exec(line);
    if (match?.[1] && match[2]) commands.set(match[1], match[2]);
  }
  return commands;
}

/** The commands built so far: modules of src/commands/ whose default export is a command. */
async function built(): Promise<string[]> {
  const names: string[] = [];
  for (const file of fs.readdirSync(path.join(root, 'src/commands')).sort()) {
    if (!file.endsWith('.ts')) continue;
    const module = (await import(pathToFileURL(path.join(root, 'src/commands', file)).href)) as {
      default?: { schema?: unknown; run?: unknown };
    };
    if (module.default?.schema && typeof module.default.run === 'function')
      names.push(file.slice(0, -3));
  }
  return names;
}

describe('beta-invites --help', () => {
  it('lists exactly the built subcommands, each with a one-line description', async () => {
    const run = await runCli(['--help'], { cwd: scratch });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toBe('');
    const commands = listed(run.stdout);
    commands.delete('help');
    expect([...commands.keys()].sort()).toEqual(await built());
    expect(commands.get('migrate')).toBe(
      'apply pending database migrations (advisory-locked, checksummed)',
    );
    expect(commands.get('validate-cohort')).toBe(
      'check a cohort CSV: hard checks block (exit 1), soft ones warn (exit 2)',
    );
    for (const [name, description] of commands) {
      expect(description, name).toMatch(/^[a-z].{10,}[^.]$/);
    }
    expect(run.stdout).toContain('--debug');
  });

  it('prints the version of package.json', async () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
      version: string;
    };
    const [long, short] = await Promise.all([
      runCli(['--version'], { cwd: scratch }),
      runCli(['-V'], { cwd: scratch }),
    ]);
    expect([long.exitCode, short.exitCode]).toEqual([0, 0]);
    expect([long.stdout, short.stdout]).toEqual([pkg.version, pkg.version]);
  });

  it('exits 64 on an unknown command or no command at all', async () => {
    const [unknown, none] = await Promise.all([
      runCli(['frobnicate'], { cwd: scratch }),
      runCli([], { cwd: scratch }),
    ]);
    expect([unknown.exitCode, none.exitCode]).toEqual([64, 64]);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatchInlineSnapshot(`
      "beta-invites: unknown command 'frobnicate'
        see beta-invites --help"
    `);
    expect(none.stderr).toContain('Usage: beta-invites [options] [command]');
  });
});

describe('lazy loading', () => {
  // A module-resolution hook (node:module register) writes every resolved URL to a log.
  const log = path.join(scratch, 'resolved.log');
  const hooks = path.join(scratch, 'hooks.mjs');
  const register = path.join(scratch, 'register.mjs');
  fs.writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(log, result.url + '\\n');
  return result;
}
`,
  );
  fs.writeFileSync(
    register,
    `import { register } from 'node:module';
register(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { log: ${JSON.stringify(log)} } });
`,
  );
  const heavy = /@electric-sql\/pglite|\/node_modules\/postgres\/|\/node_modules\/nodemailer\//;

  async function resolvedBy(args: string[]): Promise<string[]> {
    fs.rmSync(log, { force: true });
    const run = await execa(process.execPath, ['--import', pathToFileURL(register).href, ...args], {
      cwd: scratch,
      env: cleanEnv(),
      extendEnv: false,
      reject: false,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    return fs.readFileSync(log, 'utf8').trim().split('\n');
  }

  it('the hook sees a heavy dependency when one is loaded', async () => {
    const urls = await resolvedBy([
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(path.join(root, 'node_modules/postgres/src/index.js'))})`,
    ]);
    expect(urls.some((u) => heavy.test(u))).toBe(true);
  });

  it('beta-invites --help loads neither PGlite, postgres.js nor nodemailer', async () => {
    const urls = await resolvedBy([bin, '--help']);
    expect(urls.some((u) => u.includes('/node_modules/commander/'))).toBe(true);
    expect(urls.some((u) => u.endsWith('/dist/cli.js'))).toBe(true);
    expect(urls.filter((u) => heavy.test(u))).toEqual([]);
  });

  it('neither does validate-cohort without --check-users', async () => {
    const urls = await resolvedBy([bin, 'validate-cohort', path.join(root, 'fixtures/cohort.csv')]);
    expect(urls.some((u) => u.endsWith('/dist/commands/validate-cohort/run.js'))).toBe(true);
    expect(urls.filter((u) => heavy.test(u))).toEqual([]);
  });
});
