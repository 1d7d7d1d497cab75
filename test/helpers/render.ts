import fs from 'node:fs';
import path from 'node:path';

/** The sender settings every render test uses (real-looking, not placeholders). */
export const senderEnv = {
  INVITE_SIGNUP_URL: 'https://beta.example.org/inscription',
  INVITE_FEEDBACK_URL: 'https://forms.example.org/retours',
  INVITE_FROM: "L'équipe bêta <beta@example.org>",
  INVITE_REPLY_TO: 'Support <support@example.org>',
};

/** Writes a cohort CSV of `n` valid recipients (4 labels, 2 of them creator-*). */
export function writeCohort(
  dir: string,
  n: number,
  name = 'cohort.csv',
  prefix = 'person',
): string {
  const labels = ['creator-vinyl', 'creator-podcast', 'listener-jazz', 'press-music'];
  let text = 'email,cohort,name\n';
  for (let i = 0; i < n; i++) text += `${prefix}${i}@example.org,${labels[i % 4]},Zoë ${i}\n`;
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The .eml files of an output folder, sorted. */
export function emlFiles(dir: string): string[] {
  return fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .sort()
    : [];
}

/** The parsed lines of DIR/manifest.jsonl. */
export function manifestOf(dir: string): {
  email: string;
  code: string;
  inviteId: string;
  file: string;
  sha256: string;
  preview?: boolean;
}[] {
  return fs
    .readFileSync(path.join(dir, 'manifest.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(
      (line) =>
        JSON.parse(line) as {
          email: string;
          code: string;
          inviteId: string;
          file: string;
          sha256: string;
        },
    );
}
