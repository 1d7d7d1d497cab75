import { ExitCode } from '../../core/errors.js';
import { GATE_NAMES, type GateName } from '../../core/gates/names.js';
import { DEFAULT_CONFIG } from '../../core/monitor/default-config.js';
import { defineCommand, flag, loadHandler, option, type OptionsOf } from '../shared/define.js';
import { DATABASE_ENV } from '../shared/help.js';
import { json } from '../shared/option-groups.js';
import { list, refine, text, wholeNumber } from '../shared/value-types.js';

/** `--only a,b`: known gate names, in the registry's order. */
const gateList = refine(list, (names) => {
  const unknown = names.filter((n) => !(GATE_NAMES as readonly string[]).includes(n));
  if (unknown.length > 0) {
    const what = `unknown gate ${unknown.map((n) => `"${n}"`).join(', ')}`;
    return { ok: false, problem: `${what} (the gates are ${GATE_NAMES.join(', ')})` };
  }
  const known: GateName[] = GATE_NAMES.filter((g) => names.includes(g));
  return { ok: true, value: known };
});

const options = {
  config: option({ value: 'file', help: 'the gates config', parse: text, default: DEFAULT_CONFIG }),
  only: option({
    value: 'gates',
    help: `check only these gates (comma-separated: ${GATE_NAMES.join(', ')})`,
    parse: gateList,
  }),
  ...json,
  watch: flag('check again every --interval until stopped', { env: 'LOOP' }),
  interval: option({
    value: 'seconds',
    help: 'pause between checks, with --watch',
    parse: wholeNumber(1),
    default: '300',
    env: 'CHECK_INTERVAL',
  }),
  failAfter: option({
    value: 'n',
    help: 'consecutive 🔴/⚪ results before a gate shows it, with --watch',
    parse: wholeNumber(1),
    default: '1',
  }),
  passAfter: option({
    value: 'n',
    help: 'consecutive ✅ results before a gate shows it again, with --watch',
    parse: wholeNumber(1),
    default: '1',
  }),
  onChange: option({
    value: 'cmd',
    help: 'run this command when the verdict changes, with --watch (no shell; env VERDICT, PREVIOUS_VERDICT, SUMMARY)',
    parse: text,
  }),
};

export type MonitorOptions = OptionsOf<typeof options>;

export default defineCommand({
  name: 'monitor',
  description: 'check the six launch gates: GO (exit 0), NO-GO (1) or INCOMPLETE (2)',
  args: {},
  options,
  env: {
    ...DATABASE_ENV,
    'SENTRY_TOKEN, GITHUB_TOKEN, …': 'the secrets the config names in tokenEnv',
  },
  exits: {
    [ExitCode.ok]: 'GO: every gate ✅',
    [ExitCode.blocked]: 'NO-GO: a gate 🔴; or the config is missing or invalid',
    [ExitCode.warn]: 'INCOMPLETE: some gate ⚪ (could not check), none 🔴',
    [ExitCode.interrupted]: 'a --watch loop was stopped (Ctrl-C, SIGTERM)',
  },
  examples: [
    'beta-invites monitor --config beta-invites.monitor.json',
    'beta-invites monitor --watch --interval 120 --fail-after 2 --on-change ./notify-chat.sh',
  ],
  load: () => loadHandler(import('./run.js'), import('./print.js')),
});
