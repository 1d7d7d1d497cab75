import { Chalk, type ChalkInstance } from 'chalk';
import type { Context } from '../../core/context.js';

/** Colours only on a TTY and never with NO_COLOR. */
export function colors(ctx: Pick<Context, 'out' | 'settings'>): ChalkInstance {
  return new Chalk({ level: ctx.out.isTTY && !ctx.settings.noColor ? 1 : 0 });
}

export const MARK = { pass: '✅', fail: '🔴', warn: '🟡', unknown: '⚪' } as const;

/** Pads `text` to `width` columns (emoji-free text only). */
export function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** 12 345 → "12,345". */
export function num(n: number): string {
  return n.toLocaleString('en-US');
}
