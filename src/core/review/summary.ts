import { linkProblem, type Link } from './links.js';
import { maskRecipient } from './mask.js';
import type { Slot, VariantAnalysis } from './variants.js';

/** What the summary needs to know of one recipient (manifest entry plus its parsed .eml). */
export interface RecipientFacts {
  email: string;
  cohort: string;
  code: string;
  file: string;
  expiresAt: string;
  subject: string;
  from: string;
  replyTo: string;
  /** To addresses of the file, lower-cased. */
  to: string[];
  links: Link[];
  /** The file's sha256 no longer matches the manifest. */
  changed: boolean;
}

/** A value and how many recipients have it. */
export interface Tally {
  value: string;
  count: number;
}

/** A link target (code and address masked) and where it appears. */
export interface LinkTally extends Link {
  count: number;
  problem: string | undefined;
}

/** Something the reviewer should look at before approving; `send` does not check it. */
export interface Warning {
  kind:
    | 'long-subject'
    | 'empty-value'
    | 'line-count'
    | 'unsafe-link'
    | 'changed-file'
    | 'to-mismatch'
    | 'several-senders';
  message: string;
  count: number;
  /** One file that shows it. */
  example: string | undefined;
}

/** The page's summary block. */
export interface Summary {
  total: number;
  cohorts: Tally[];
  expiry: { first: string; last: string };
  from: Tally[];
  replyTo: Tally[];
  subjects: Tally[];
  links: LinkTally[];
  warnings: Warning[];
}

/** RFC 5322's recommended line length: longer subjects get cut or folded by clients. */
export const SUBJECT_MAX = 78;

function tally(values: string[]): Tally[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

function linkTallies(recipients: RecipientFacts[]): LinkTally[] {
  const byKey = new Map<string, LinkTally>();
  for (const r of recipients) {
    for (const link of r.links) {
      const href = maskRecipient(link.href, r);
      const label = maskRecipient(link.label, r);
      const key = `${link.part}\u0000${href}\u0000${label}`;
      const seen = byKey.get(key);
      if (seen) seen.count++;
      else
        byKey.set(key, { part: link.part, href, label, count: 1, problem: linkProblem(link.href) });
    }
  }
  return [...byKey.values()];
}

function warn(
  kind: Warning['kind'],
  matching: RecipientFacts[],
  message: (n: number) => string,
): Warning[] {
  if (matching.length === 0) return [];
  return [
    { kind, message: message(matching.length), count: matching.length, example: matching[0]?.file },
  ];
}

function slotText(slot: Slot): string {
  return `${slot.part} line ${slot.line} "${slot.before.slice(-30)}{…}${slot.after.slice(0, 30)}"`;
}

function variantWarnings(recipients: RecipientFacts[], analysis: VariantAnalysis): Warning[] {
  return analysis.variants.flatMap((v) => {
    const members = recipients.filter((_, i) => analysis.variantOf[i] === v.label);
    const of = `recipient(s) (variant ${v.label})`;
    const deltas = Object.entries(v.lineDelta).map(
      ([part, d]) => `${Math.abs(d)} line(s) ${d < 0 ? 'fewer' : 'more'} in the ${part} part`,
    );
    return [
      ...(v.emptySlots.length > 0
        ? warn(
            'empty-value',
            members,
            (n) =>
              `a value is empty for ${n} ${of}, probably an optional column: ${v.emptySlots.map(slotText).join(', ')}`,
          )
        : []),
      ...(deltas.length > 0
        ? warn(
            'line-count',
            members,
            (n) => `${n} ${of} have ${deltas.join(' and ')}: an optional block differs for them`,
          )
        : []),
    ];
  });
}

function recipientWarnings(
  recipients: RecipientFacts[],
  from: Tally[],
  replyTo: Tally[],
): Warning[] {
  return [
    ...warn(
      'long-subject',
      recipients.filter((r) => [...r.subject].length > SUBJECT_MAX),
      (n) => `the subject is over ${SUBJECT_MAX} characters for ${n} recipient(s)`,
    ),
    ...warn(
      'changed-file',
      recipients.filter((r) => r.changed),
      (n) => `${n} file(s) changed since render (send refuses them without --accept-edits)`,
    ),
    ...warn(
      'to-mismatch',
      recipients.filter((r) => r.to.join(',') !== r.email.toLowerCase()),
      (n) => `${n} file(s) are not addressed to their manifest recipient alone (send refuses them)`,
    ),
    ...(from.length > 1 || replyTo.length > 1
      ? warn(
          'several-senders',
          recipients.slice(0, 1),
          () =>
            `the files have ${from.length} different From and ${replyTo.length} different Reply-To values`,
        )
      : []),
  ];
}

/** Counts, sender, links and warnings of a whole folder. */
export function summarize(recipients: RecipientFacts[], analysis: VariantAnalysis): Summary {
  const expiries = recipients.map((r) => r.expiresAt).sort();
  const from = tally(recipients.map((r) => r.from));
  const replyTo = tally(recipients.map((r) => r.replyTo));
  const links = linkTallies(recipients);
  const unsafe = links
    .filter((l) => l.problem)
    .map((l): Warning => ({
      kind: 'unsafe-link',
      message: `${l.part} link ${JSON.stringify(l.href)}: ${l.problem ?? ''}`,
      count: l.count,
      example: recipients.find((r) => r.links.some((k) => maskRecipient(k.href, r) === l.href))
        ?.file,
    }));
  return {
    total: recipients.length,
    cohorts: tally(recipients.map((r) => r.cohort)),
    expiry: { first: expiries[0] ?? '', last: expiries.at(-1) ?? '' },
    from,
    replyTo,
    subjects: tally(recipients.map((r) => maskRecipient(r.subject, r))),
    links,
    warnings: [
      ...recipientWarnings(recipients, from, replyTo),
      ...variantWarnings(recipients, analysis),
      ...unsafe,
    ],
  };
}
