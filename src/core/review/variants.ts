import { PART_NAMES, type PartName, type Parts } from './mask.js';

/** A place in a line where recipients' texts differ (a template value). */
export interface Slot {
  part: PartName;
  /** 1-based line number in that part. */
  line: number;
  /** The text around the value, as most recipients read it. */
  before: string;
  after: string;
}

/** One template variant: recipients whose texts have the same shape. */
export interface Variant {
  /** "A", "B", … by decreasing size. */
  label: string;
  count: number;
  /** Values empty for this variant's recipients and filled for others. */
  emptySlots: Slot[];
  /** Lines per part, when they differ from the largest variant's. */
  lineDelta: Partial<Record<PartName, number>>;
}

/** The variants, and which one each recipient (by index) belongs to. */
export interface VariantAnalysis {
  variants: Variant[];
  variantOf: string[];
}

const WORD = /[\p{L}\p{N}_]/u;

function isBoundary(s: string, at: number): boolean {
  return at <= 0 || at >= s.length || !(WORD.test(s[at - 1] ?? '') && WORD.test(s[at] ?? ''));
}

/** Length of the common prefix, cut back to a word boundary in every value. */
function prefixLength(values: string[]): number {
  const first = values[0] ?? '';
  let n = first.length;
  for (const v of values) {
    let i = 0;
    while (i < n && i < v.length && v[i] === first[i]) i++;
    n = i;
  }
  while (n > 0 && !values.every((v) => isBoundary(v, n))) n--;
  return n;
}

/** Length of the common suffix (not overlapping `prefix`), cut back to a word boundary. */
function suffixLength(values: string[], prefix: number): number {
  const first = values[0] ?? '';
  let n = Math.min(...values.map((v) => v.length - prefix));
  for (const v of values) {
    let i = 0;
    while (i < n && v[v.length - 1 - i] === first[first.length - 1 - i]) i++;
    n = i;
  }
  while (n > 0 && !values.every((v) => isBoundary(v, v.length - n))) n--;
  return n;
}

/** The slot of one line position, and whose value in it is empty (indexes in `values`). */
function slotOf(values: string[]): { before: string; after: string; empty: boolean[] } | null {
  if (values.every((v) => v === values[0])) return null;
  const p = prefixLength(values);
  const q = suffixLength(values, p);
  const first = values[0] ?? '';
  return {
    before: first.slice(0, p),
    after: first.slice(first.length - q),
    empty: values.map((v) => v.slice(p, v.length - q).trim() === ''),
  };
}

function shapeOf(parts: Parts): string {
  return PART_NAMES.map((name) => parts[name].split('\n').length).join(',');
}

/** Slot keys ("1,40,20#text:1") each member of one same-shape group leaves empty. */
function emptySlotsOf(shape: string, group: Parts[], slots: Map<string, Slot>): string[][] {
  const empties: string[][] = group.map(() => []);
  for (const part of PART_NAMES) {
    const lines = group.map((parts) => parts[part].split('\n'));
    const count = lines[0]?.length ?? 0;
    for (let l = 0; l < count; l++) {
      const slot = slotOf(lines.map((ls) => ls[l] ?? ''));
      if (!slot || slot.empty.every(Boolean)) continue;
      const key = `${shape}#${part}:${l + 1}`;
      slots.set(key, { part, line: l + 1, before: slot.before, after: slot.after });
      slot.empty.forEach((empty, i) => empty && empties[i]?.push(key));
    }
  }
  return empties;
}

/**
 * Groups recipients into template variants by the shape of their masked parts: first the
 * number of lines of each part (an optional block adds or removes lines), then, within
 * one line count, which values are empty. A value is where the recipients' lines differ,
 * cut at word boundaries: "Bonjour Zoé," and "Bonjour," give the slot "Bonjour{…},".
 */
export function analyzeVariants(recipients: Parts[]): VariantAnalysis {
  const groups = new Map<string, number[]>();
  recipients.forEach((parts, i) => {
    const shape = shapeOf(parts);
    const members = groups.get(shape);
    if (members) members.push(i);
    else groups.set(shape, [i]);
  });
  const slots = new Map<string, Slot>();
  const keyOf: string[] = new Array<string>(recipients.length).fill('');
  for (const [shape, members] of groups) {
    const empties = emptySlotsOf(
      shape,
      members.map((i) => recipients[i] as Parts),
      slots,
    );
    members.forEach((r, m) => (keyOf[r] = `${shape}|${(empties[m] ?? []).join(' ')}`));
  }
  return labelVariants(keyOf, slots);
}

function labelVariants(keyOf: string[], slots: Map<string, Slot>): VariantAnalysis {
  const counts = new Map<string, number>();
  for (const key of keyOf) counts.set(key, (counts.get(key) ?? 0) + 1);
  const ordered = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const mainShape = (ordered[0]?.[0] ?? '').split('|')[0]?.split(',') ?? [];
  const labels = new Map<string, string>();
  const variants = ordered.map(([key, count], i) => {
    const label = i < 26 ? String.fromCharCode(65 + i) : `V${i + 1}`;
    labels.set(key, label);
    const [shape = '', empty = ''] = key.split('|');
    const lineDelta: Partial<Record<PartName, number>> = {};
    shape.split(',').forEach((n, p) => {
      const delta = Number(n) - Number(mainShape[p]);
      const part = PART_NAMES[p];
      if (delta !== 0 && part) lineDelta[part] = delta;
    });
    const emptySlots = empty === '' ? [] : empty.split(' ').flatMap((k) => slots.get(k) ?? []);
    return { label, count, emptySlots, lineDelta };
  });
  return { variants, variantOf: keyOf.map((k) => labels.get(k) ?? '') };
}
