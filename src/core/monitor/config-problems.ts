import type { z } from 'zod';

/** `gates.synthetic.steps[0].url` from zod's path. */
export function jsonPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? '(top level)' : out;
}

/**
 * One line per problem, each with its JSON path. An unknown key is reported at its own
 * path; an unknown gate lists the gates there are (the likeliest mistake is a typo).
 */
export function formatProblems(
  issues: readonly z.core.$ZodIssue[],
  gates: readonly string[],
): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') {
      lines.push(`${jsonPath(issue.path)}: ${issue.message}`);
      continue;
    }
    const inGates = issue.path.length === 1 && issue.path[0] === 'gates';
    for (const key of issue.keys) {
      const where = jsonPath([...issue.path, key]);
      lines.push(
        inGates
          ? `${where}: unknown gate (the gates are ${gates.join(', ')})`
          : `${where}: unknown key`,
      );
    }
  }
  return lines;
}
