import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  GATES,
  GATE_NAMES,
  configuredCheck,
  gatesConfig,
  tokenEnvNames,
  usesDatabase,
} from '../../../src/core/gates/registry.js';
import { GATE_NAMES as FROM_TYPES } from '../../../src/core/gates/types.js';
import { monitorConfig, tokenNames } from '../../../src/core/monitor/config.js';
import { root } from '../../helpers/paths.js';

const example = JSON.parse(
  fs.readFileSync(path.join(root, 'beta-invites.monitor.example.json'), 'utf8'),
) as { gates: Record<string, unknown> };

describe('the gate registry', () => {
  it('names the six gates once, in the order they are shown, and types.ts re-exports them', () => {
    expect(GATE_NAMES).toEqual([
      'signups',
      'sentry',
      'status_page',
      'synthetic',
      'k6_nightly',
      'high_issues',
    ]);
    expect(Object.keys(GATES)).toEqual(GATE_NAMES);
    expect(FROM_TYPES).toBe(GATE_NAMES);
  });

  it('makes the config schema: its gates are exactly the registry’s, each optional', () => {
    expect(Object.keys(gatesConfig.shape)).toEqual(GATE_NAMES);
    expect(monitorConfig.shape.gates).toBe(gatesConfig);
    expect(gatesConfig.parse({})).toEqual({});
  });

  it('has a schema for every gate of the example config, and each accepts its section', () => {
    expect(Object.keys(example.gates)).toEqual(GATE_NAMES);
    for (const name of GATE_NAMES) {
      const parsed = GATES[name].schema.safeParse(example.gates[name]);
      expect(parsed.error?.issues ?? [], name).toEqual([]);
    }
  });

  it('binds a configured gate’s check; a gate left out has none', () => {
    const config = monitorConfig.parse({ gates: { status_page: example.gates.status_page } });
    expect(configuredCheck('status_page', config.gates)).toBeTypeOf('function');
    for (const name of GATE_NAMES.filter((n) => n !== 'status_page')) {
      expect(configuredCheck(name, config.gates), name).toBeUndefined();
    }
  });

  it('says which gates need the database: signups only', () => {
    expect(GATE_NAMES.filter(usesDatabase)).toEqual(['signups']);
  });

  it('lists the secrets the configured gates name with tokenEnv, defaults included', () => {
    const full = monitorConfig.parse(example);
    expect(tokenEnvNames(full.gates)).toEqual(['SENTRY_TOKEN', 'GITHUB_TOKEN']);
    expect(tokenNames(full)).toEqual(['SENTRY_TOKEN', 'GITHUB_TOKEN']);
    const defaults = monitorConfig.parse({
      gates: {
        sentry: { org: 'acme', project: 1 },
        high_issues: { repo: 'acme/app', label: 'severity:high' },
      },
    });
    // Sentry's default variable is a secret too; an anonymous GitHub search reads none.
    expect(tokenEnvNames(defaults.gates)).toEqual(['SENTRY_TOKEN']);
    expect(tokenEnvNames(monitorConfig.parse({ gates: {} }).gates)).toEqual([]);
  });
});
