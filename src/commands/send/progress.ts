import cliProgress from 'cli-progress';
import type { Context } from '../../core/context.js';
import type { DispatchProgress } from '../../core/send/dispatch.js';

/** Shows sending progress on stderr: a bar on a terminal, a line every few seconds otherwise. */
export interface ProgressDisplay {
  start(total: number): void;
  update(progress: DispatchProgress): void;
  stop(): void;
}

const LINE_EVERY_MS = 5_000;

function seconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 90 ? `${s} s` : `${Math.round(s / 60)} min`;
}

/** Plain lines for logs, cron and `tee`: no cursor tricks. */
function lineDisplay(ctx: Pick<Context, 'out'>, now: () => number): ProgressDisplay {
  let started = 0;
  let lastLine = 0;
  return {
    start(total) {
      started = lastLine = now();
      ctx.out.error(`sending ${total} message(s)…`);
    },
    update(p) {
      const t = now();
      if (t - lastLine < LINE_EVERY_MS) return;
      lastLine = t;
      const done = p.sent + p.failed;
      const perSecond = done / Math.max(0.001, (t - started) / 1000);
      const left =
        perSecond > 0 && done < p.total
          ? `, about ${seconds(((p.total - done) / perSecond) * 1000)} left`
          : '';
      ctx.out.error(
        `${done}/${p.total} done: ${p.sent} sent, ${p.failed} failed, ${perSecond.toFixed(1)}/s${left}`,
      );
    },
    stop() {},
  };
}

function barDisplay(ctx: Pick<Context, 'out'>, now: () => number): ProgressDisplay {
  let started = 0;
  const bar = new cliProgress.SingleBar(
    {
      stream: ctx.out.stderr,
      format:
        ' {bar} {value}/{total} | sent {sent} | failed {failed} | {speed}/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 100,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  return {
    start(total) {
      started = now();
      bar.start(total, 0, { sent: 0, failed: 0, speed: '0.0' });
    },
    update(p) {
      const done = p.sent + p.failed;
      const speed = (done / Math.max(0.001, (now() - started) / 1000)).toFixed(1);
      bar.update(done, { sent: p.sent, failed: p.failed, speed });
    },
    stop: () => bar.stop(),
  };
}

export function progressDisplay(
  ctx: Pick<Context, 'out'>,
  now: () => number = () => performance.now(),
): ProgressDisplay {
  return ctx.out.stderrIsTTY ? barDisplay(ctx, now) : lineDisplay(ctx, now);
}
