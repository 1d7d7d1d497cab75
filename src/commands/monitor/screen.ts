import type { ChalkInstance } from 'chalk';
import type { CycleEvent } from '../../core/monitor/watch.js';
import { tally } from '../../core/monitor/verdict.js';
import { NAME_WIDTH, clockTime, paintVerdict } from './lines.js';
import { MARK, pad } from '../shared/style.js';

/** What the terminal screen shows; redrawn in place on every change and every second. */
export interface ScreenState {
  intervalSeconds: number;
  checking: boolean;
  /** The last finished cycle. */
  event?: CycleEvent;
  nextAt?: Date;
  /** The last problem worth showing (a failed --on-change), with its time. */
  notice?: string;
}

function countdown(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function header(state: ScreenState, now: Date): string {
  const parts = [`beta-invites monitor, every ${state.intervalSeconds}s`];
  if (state.event) parts.push(`checked ${clockTime(new Date(state.event.report.checkedAt))} UTC`);
  if (state.checking) parts.push('checking…');
  else if (state.nextAt)
    parts.push(`next check in ${countdown(state.nextAt.getTime() - now.getTime())}`);
  return parts.join(' · ');
}

function gateLines(event: CycleEvent, c: ChalkInstance): string[] {
  const lines: string[] = [];
  for (const shown of event.report.gates) {
    const track = event.tracks.get(shown.gate);
    const since = track ? `since ${clockTime(track.since)}` : '';
    const detail = shown.state === 'unknown' ? c.dim(shown.detail) : shown.detail;
    lines.push(
      `  ${MARK[shown.state]} ${pad(shown.gate, NAME_WIDTH)} ${c.dim(pad(since, 15))} ${detail}`,
    );
    const p = track?.pending;
    if (p) {
      const seen = `${MARK[p.result.state]} ${p.count}/${p.needed}: ${p.result.detail}`;
      lines.push(c.dim(`     ${' '.repeat(NAME_WIDTH)} ${' '.repeat(15)} ↳ seeing ${seen}`));
    }
  }
  return lines;
}

// eslint-disable-next-line no-control-regex -- colour codes are what it matches
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * Cuts a line to the terminal's width (emoji take two columns: keep a margin). A line
 * too long loses its colours rather than risk cutting an escape code in half.
 */
function fit(line: string, columns: number): string {
  // A terminal that reports no size (0) gets a common width rather than nothing.
  const width = columns >= 20 ? columns : 100;
  const plain = line.replace(SGR, '');
  return plain.length <= width - 2 ? line : plain.slice(0, width - 3) + '…';
}

/** The screen as lines, without escape codes other than colours. */
export function renderScreen(
  state: ScreenState,
  now: Date,
  c: ChalkInstance,
  columns: number,
): string[] {
  const lines = [c.bold(header(state, now)), ''];
  const event = state.event;
  if (!event) lines.push('  checking the gates…');
  else {
    lines.push(...gateLines(event, c), '');
    const since = `since ${clockTime(event.verdictSince)}`;
    lines.push(`  ${paintVerdict(event.report.verdict, c)} ${since}: ${tally(event.report.gates)}`);
  }
  if (state.notice) lines.push('', c.yellow(`  ${state.notice}`));
  lines.push('', c.dim('Ctrl-C to stop'));
  return lines.map((l) => fit(l, columns));
}

/** Cursor home, each line cleared to its end, the rest of the screen cleared: no flicker. */
export function frame(lines: readonly string[], first: boolean): string {
  return (
    (first ? '\x1b[2J' : '') + '\x1b[H' + lines.map((l) => l + '\x1b[K').join('\n') + '\n\x1b[J'
  );
}
