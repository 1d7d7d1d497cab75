import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ManifestEntry } from '../outdir/manifest.js';
import { indexPage, type RecipientRow, type Sample } from './index-page.js';
import { htmlLinks, textLinks } from './links.js';
import { maskRecipient, type Parts } from './mask.js';
import { parseEml } from './parse-eml.js';
import { recipientPage } from './preview.js';
import { readFolderManifest } from './read-folder.js';
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

/**
 * Builds `DIR/review/`: an index page (summary, warnings, samples, searchable table) and
 * one page per recipient. Everything is checked before anything is written, and the
 * folder is built aside and swapped in, so a failure leaves the previous review as it was.
 */
export async function buildReview(dir: string, clock: () => Date): Promise<ReviewResult> {
  const { entries, sha256 } = readFolderManifest(dir);
  const writer = new ReviewFolderWriter(dir);
  try {
    const facts: RecipientFacts[] = [];
    const parts: Parts[] = [];
    for (const [i, entry] of entries.entries()) {
      const one = await reviewOne(dir, entry, pageName(i), writer);
      facts.push(one.facts);
      parts.push(one.parts);
    }
    const analysis = analyzeVariants(parts);
    const summary = summarize(facts, analysis);
    const samples = await pickSamples(dir, entries, analysis.variantOf);
    const rows: RecipientRow[] = entries.map((e, i) => ({
      email: e.email,
      cohort: e.cohort,
      code: e.code,
      file: e.file,
      variant: analysis.variantOf[i] ?? '',
      page: pageName(i),
    }));
    const preview = entries.some((e) => e.preview === true);
    const folder = path.basename(path.resolve(dir));
    const builtAt = clock().toISOString();
    const page = {
      folder,
      builtAt,
      manifestSha256: sha256,
      preview,
      summary,
      variants: analysis.variants,
      samples,
      rows,
    };
    writer.write('index.html', indexPage(page));
    writer.commit();
    return {
      dir,
      index: path.join(dir, REVIEW_DIR, 'index.html'),
      manifestSha256: sha256,
      preview,
      summary,
      variants: analysis.variants,
      samples: samples.map(({ cohort, variant, file }) => ({ cohort, variant, file })),
    };
  } catch (error) {
    writer.abort();
    throw error;
  }
}
