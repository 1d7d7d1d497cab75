import type { Context } from '../../core/context.js';
import { jsonOrText } from '../shared/define.js';
import type { ShowOptions } from './definition.js';
import type { InviteRecord } from '../../core/ops/lookup.js';
import { formatInstant } from '../../core/ops/format.js';
import type { OutDirEvidence } from '../../core/ops/outdir-evidence.js';
import type { ShowResult } from './run.js';
import { colors } from '../shared/style.js';

type Line = [label: string, value: string];

function when(date: Date | string | null, none: string): string {
  return date === null ? none : formatInstant(new Date(date));
}

function dates(i: InviteRecord): Line[] {
  const by = i.sentBy ? `by ${i.sentBy.email || i.sentBy.id}` : '(no operator recorded)';
  const lines: Line[] = [
    ['email', i.email],
    ['created', `${when(i.createdAt, '')} ${by}`],
    ['sent', when(i.sentAt, 'not sent (no sent_at)')],
    [
      'expires',
      i.expiresAtText
        ? `never in practice (${i.expiresAtText} in the database)`
        : when(i.expiresAt, ''),
    ],
    ['redeemed', when(i.usedAt, 'not redeemed')],
  ];
  if (i.revokedAt !== null) {
    const reason = i.revokeReason ? ` (reason: ${i.revokeReason})` : '';
    lines.push(['revoked', when(i.revokedAt, '') + reason]);
  }
  if (i.anonymizedAt !== null) lines.push(['anonymised', when(i.anonymizedAt, '')]);
  for (const b of i.bounces) {
    const what = [b.kind, b.status, b.action, b.recipient].filter(Boolean).join(' ');
    const why = b.diagnostic ? `: ${b.diagnostic}` : '';
    lines.push(['bounce', `${when(b.receivedAt, '')} ${what}${why}`]);
  }
  return lines;
}

function files(f: OutDirEvidence): Line[] {
  if (!f.manifest || !f.eml) return [['eml', "not in this folder's manifest.jsonl"]];
  const state = !f.eml.exists
    ? ' (missing)'
    : f.eml.matchesManifest
      ? ''
      : ' (edited since render: sha256 differs from the manifest)';
  const lines: Line[] = [
    ['eml', f.eml.path + state],
    ['manifest', JSON.stringify(f.manifest)],
  ];
  for (const line of f.sent) lines.push(['sent.jsonl', JSON.stringify(line)]);
  for (const line of f.sendFailed) lines.push(['send-failed', JSON.stringify(line)]);
  if (f.sent.length === 0 && f.sendFailed.length === 0)
    lines.push(['ledger', 'no line in sent.jsonl']);
  return lines;
}

/** One block per invite: code, state, cohort, then one labelled line per fact. */
function printShow(result: ShowResult, ctx: Pick<Context, 'out' | 'settings'>): void {
  const { out } = ctx;
  const c = colors(ctx);
  const n = result.invites.length;
  out.line(
    c.bold(
      `${n} invite${n === 1 ? '' : 's'} for ${result.query} (as of ${formatInstant(new Date(result.asOf))}):`,
    ),
  );
  const paint = { redeemed: c.green, pending: c.cyan, expired: c.yellow, revoked: c.red };
  const blocks = result.invites.map((i) => [...dates(i), ...(i.files ? files(i.files) : [])]);
  const width = Math.max(...blocks.flat().map(([label]) => label.length));
  result.invites.forEach((invite, n) => {
    out.line('');
    out.line(
      `${c.bold(invite.code)}  ${paint[invite.state](invite.state)}  cohort ${invite.cohort}`,
    );
    for (const [label, value] of blocks[n] ?? [])
      out.line(`  ${c.dim(label.padEnd(width))}  ${value}`);
  });
}

export default jsonOrText<ShowOptions, ShowResult>(printShow);
