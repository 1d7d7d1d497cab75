/** The config file `--config` names unless told otherwise (for `monitor` and `preflight`). */
export const DEFAULT_CONFIG = 'beta-invites.monitor.json';
