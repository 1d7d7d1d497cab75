import type { Printer } from '../shared/define.js';
import type { MonitorOptions } from './definition.js';
import { printReport } from './lines.js';
import type { MonitorResult } from './run.js';

/** A check's gates and verdict; a stopped loop's last word (its checks printed as they ran). */
const print: Printer<MonitorOptions, MonitorResult> = (result, options, ctx) => {
  if (result.mode === 'watch') {
    const last = result.lastVerdict ? `; last verdict ${result.lastVerdict}` : '';
    ctx.out.error(`monitor stopped (${result.stoppedBy}) after ${result.cycles} checks${last}`);
    return;
  }
  if (options.json) ctx.out.json(result.report);
  else printReport(result.report, ctx);
};

export default print;
