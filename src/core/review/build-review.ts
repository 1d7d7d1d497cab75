import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ManifestEntry } from '../outdir/manifest.js';
import { indexPage, type IndexPage, type RecipientRow, type Sample } from './index-page.js';
import { htmlLinks, textLinks } from './links.js';
import { maskRecipient, type Parts } from './mask.js';
import { parseEml } from './parse-eml.js';
import { recipientPage } from './preview.js';
import { readFolderManifest, type FolderManifest } from './read-folder.js';
import { summarize, type RecipientFacts, type Summary } from './summary.js';
import { analyzeVariants, type Variant } from './variants.js';
import { REVIEW_DIR, ReviewFolderWriter } from './write-folder.js';

/** What `review DIR` built. */
export interface ReviewResult {
  dir: string;
  /** `DIR/review/index.html`. */
  index: string;
  manifestSha256: string;
  preview: boolean;
  summary: Summary;
  variants: Variant[];
  samples: { cohort: string; variant: string; file: string }[];
}

function pageName(index: number): string {
  return `r/${String(index + 1).padStart(5, '0')}.html`;
}

/** Reads one .eml, writes its page, and keeps only what the summary needs. */
async function reviewOne(
  dir: string,
  entry: ManifestEntry,
  page: string,
  writer: ReviewFolderWriter,
) {
  const bytes = fs.readFileSync(path.join(dir, entry.file));
  const eml = await parseEml(bytes);
  writer.write(page, recipientPage(eml, entry.file, entry.cohort));
  const facts: RecipientFacts = {
    ...entry,
    subject: eml.subject,
    from: eml.from,
    replyTo: eml.replyTo,
    to: eml.to,
    links: [...htmlLinks(eml.html), ...textLinks(eml.text)],
    changed: createHash('sha256').update(bytes).digest('hex') !== entry.sha256,
  };
  const parts: Parts = {
    subject: maskRecipient(eml.subject, entry),
    text: maskRecipient(eml.text, entry),
    html: maskRecipient(eml.html, entry),
  };
  return { facts, parts };
}

/** The first recipient of each cohort and variant, in manifest order. */
async function pickSamples(
  dir: string,
  entries: ManifestEntry[],
  variantOf: string[],
): Promise<Sample[]> {
  const seen = new Set<string>();
  const samples: Sample[] = [];
  for (const [i, entry] of entries.entries()) {
    const variant = variantOf[i] ?? '';
    const key = `${entry.cohort}\u0000${variant}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const eml = await parseEml(fs.readFileSync(path.join(dir, entry.file)));
    samples.push({ cohort: entry.cohort, variant, file: entry.file, page: pageName(i), eml });
  }
  return samples.sort(
    (a, b) => a.cohort.localeCompare(b.cohort) || a.variant.localeCompare(b.variant),
  );
}

/** Reads every .eml once, writing its page as it goes. */
async function reviewAll(dir: string, entries: ManifestEntry[], writer: ReviewFolderWriter) {
  const facts: RecipientFacts[] = [];
  const parts: Parts[] = [];
  for (const [i, entry] of entries.entries()) {
    const one = await reviewOne(dir, entry, pageName(i), writer);
    facts.push(one.facts);
    parts.push(one.parts);
  }
  return { facts, parts };
}

function tableRows(entries: ManifestEntry[], variantOf: string[]): RecipientRow[] {
  return entries.map((e, i) => ({
    email: e.email,
    cohort: e.cohort,
    code: e.code,
    file: e.file,
    variant: variantOf[i] ?? '',
    page: pageName(i),
  }));
}

async function writeReview(
  dir: string,
  { entries, sha256 }: FolderManifest,
  writer: ReviewFolderWriter,
  clock: () => Date,
): Promise<ReviewResult> {
  const { facts, parts } = await reviewAll(dir, entries, writer);
  const analysis = analyzeVariants(parts);
  const summary = summarize(facts, analysis);
  const samples = await pickSamples(dir, entries, analysis.variantOf);
  const preview = entries.some((e) => e.preview === true);
  const page: IndexPage = {
    folder: path.basename(path.resolve(dir)),
    builtAt: clock().toISOString(),
    manifestSha256: sha256,
    preview,
    summary,
    variants: analysis.variants,
    samples,
    rows: tableRows(entries, analysis.variantOf),
  };
  writer.write('index.html', indexPage(page));
  return {
    dir,
    index: path.join(dir, REVIEW_DIR, 'index.html'),
    manifestSha256: sha256,
    preview,
    summary,
    variants: analysis.variants,
    samples: samples.map(({ cohort, variant, file }) => ({ cohort, variant, file })),
  };
}

/**
 * Builds `DIR/review/`: an index page (summary, warnings, samples, searchable table) and
 * one page per recipient. The manifest and every file are checked before anything is
 * written, and the folder is built aside and swapped in, so a failure leaves the
 * previous review as it was.
 */
export async function buildReview(dir: string, clock: () => Date): Promise<ReviewResult> {
  const manifest = readFolderManifest(dir);
  const writer = new ReviewFolderWriter(dir, clock());
  try {
    const result = await writeReview(dir, manifest, writer, clock);
    writer.commit();
    return result;
  } catch (error) {
    writer.abort();
    throw error;
  }
}
