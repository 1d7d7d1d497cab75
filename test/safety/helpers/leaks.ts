import fs from 'node:fs';
import path from 'node:path';

/**
 * The forms a secret could take once printed or written: as given, percent-encoded (in a
 * URL), base64 (an SMTP AUTH PLAIN line), and its distinctive core (which catches a
 * half-masked one).
 */
export function secretForms(secret: string, core: string): string[] {
  return [
    ...new Set([
      secret,
      encodeURIComponent(secret),
      Buffer.from(secret).toString('base64'),
      Buffer.from(`\0beta\0${secret}`).toString('base64'),
      core,
    ]),
  ];
}

/** The forms found in `text`, as "form" strings (empty when clean). */
export function findLeaks(text: string, forms: readonly string[]): string[] {
  return forms.filter((form) => text.includes(form));
}

/**
 * Every regular file under `root`, skipping the folders named in `skip` (absolute):
 * what a run wrote besides the database itself.
 */
export function filesUnder(root: string, skip: readonly string[] = []): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (skip.includes(full)) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) found.push(full);
    }
  };
  if (fs.existsSync(root)) walk(root);
  return found.sort();
}

/** "file: form" for each secret form found in a file under `root`. */
export function leaksInFiles(
  root: string,
  forms: readonly string[],
  skip: readonly string[] = [],
): string[] {
  return filesUnder(root, skip).flatMap((file) => {
    const text = fs.readFileSync(file).toString('latin1');
    return findLeaks(text, forms).map((form) => `${path.relative(root, file)}: ${form}`);
  });
}
