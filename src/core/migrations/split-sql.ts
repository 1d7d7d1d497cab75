/**
 * Splits a SQL script into its statements, for files that run outside a transaction:
 * PostgreSQL runs a multi-statement query string in one implicit transaction, where
 * `CREATE INDEX CONCURRENTLY` is refused. Semicolons inside strings, quoted identifiers,
 * comments and dollar-quoted bodies do not split. Statements made only of comments and
 * blanks are dropped.
 */
export function splitStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  let code = false;
  while (i < script.length) {
    const skipped = skipQuoted(script, i);
    if (skipped > i) {
      if (!script.startsWith('--', i) && !script.startsWith('/*', i)) code = true;
      i = skipped;
    } else if (script[i] === ';') {
      if (code) statements.push(script.slice(start, i + 1).trim());
      start = i + 1;
      code = false;
      i++;
    } else {
      if (!/\s/.test(script[i] ?? '')) code = true;
      i++;
    }
  }
  if (code) statements.push(script.slice(start).trim());
  return statements;
}

/** The index just past the string, identifier, comment or dollar quote at `i`, else `i`. */
function skipQuoted(s: string, i: number): number {
  if (s.startsWith('--', i)) {
    const end = s.indexOf('\n', i);
    return end < 0 ? s.length : end + 1;
  }
  if (s.startsWith('/*', i)) return skipBlockComment(s, i);
  const c = s[i];
  if (c === "'") {
    // E'…' strings allow backslash escapes; standard strings only double the quote.
    const escapes = /[eE]/.test(s[i - 1] ?? '') && !/\w/.test(s[i - 2] ?? '');
    return skipUntil(s, i + 1, "'", escapes);
  }
  if (c === '"') return skipUntil(s, i + 1, '"', false);
  if (c === '$' && !/\w/.test(s[i - 1] ?? '')) {
    const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(s.slice(i, i + 64))?.[0];
    if (tag) {
      const end = s.indexOf(tag, i + tag.length);
      return end < 0 ? s.length : end + tag.length;
    }
  }
  return i;
}

function skipUntil(s: string, i: number, quote: string, escapes: boolean): number {
  while (i < s.length) {
    if (escapes && s[i] === '\\') i += 2;
    else if (s[i] === quote && s[i + 1] === quote) i += 2;
    else if (s[i] === quote) return i + 1;
    else i++;
  }
  return s.length;
}

function skipBlockComment(s: string, i: number): number {
  let depth = 0;
  while (i < s.length) {
    if (s.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (s.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return s.length;
}
