/** A command line that cannot be split (unterminated quote, trailing backslash). */
export class ShellWordsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ShellWordsError';
  }
}

/**
 * Splits a command line into words the way a POSIX shell would, without running one:
 * 'single quotes' are literal, "double quotes" honour only the \" \\ \$ \` escapes and
 * backslash-newline, a backslash outside quotes escapes the next character, blanks
 * separate words. Nothing is expanded ($VAR, ~, globs and backticks stay literal).
 */
export function splitShellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < line.length) {
    const c = line.charAt(i);
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new ShellWordsError('unterminated single quote');
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      const [text, next] = doubleQuoted(line, i + 1);
      word += text;
      inWord = true;
      i = next;
    } else if (c === '\\') {
      if (i + 1 >= line.length) throw new ShellWordsError('trailing backslash');
      // Backslash-newline is a line continuation: both characters vanish.
      if (line.charAt(i + 1) !== '\n') {
        word += line.charAt(i + 1);
        inWord = true;
      }
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Reads a double-quoted run from `start` (after the quote); returns its text and the next index. */
function doubleQuoted(line: string, start: number): [string, number] {
  let text = '';
  let i = start;
  while (i < line.length) {
    const c = line.charAt(i);
    if (c === '"') return [text, i + 1];
    const next = line.charAt(i + 1);
    if (c === '\\' && '"\\$`\n'.includes(next) && next !== '') {
      if (next !== '\n') text += next;
      i += 2;
    } else {
      text += c;
      i++;
    }
  }
  throw new ShellWordsError('unterminated double quote');
}
