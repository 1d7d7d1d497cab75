import cliProgress from 'cli-progress';
import type { Output } from '../../core/output.js';

/** A progress bar on stderr, only on a terminal and only for long runs. */
export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const SILENT: Progress = { update: () => {}, stop: () => {} };

/** Count, rate and ETA on a TTY; nothing otherwise (logs keep the final summary only). */
export function progressBar(out: Output, total: number, label: string, minimum = 300): Progress {
  if (!out.stderrIsTTY || total < minimum) return SILENT;
  const started = Date.now();
  const bar = new cliProgress.SingleBar(
    {
      stream: out.stderr,
      format: `${label} {bar} {value}/{total} | {rate}/s | ETA {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { rate: 0 });
  return {
    update(done) {
      const seconds = (Date.now() - started) / 1000;
      bar.update(done, { rate: seconds > 0 ? Math.round(done / seconds) : 0 });
    },
    stop: () => bar.stop(),
  };
}
