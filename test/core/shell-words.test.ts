import { describe, expect, it } from 'vitest';
import { ShellWordsError, splitShellWords } from '../../src/core/shell-words.js';

describe('splitShellWords', () => {
  it('splits on blanks and drops empty words', () => {
    expect(splitShellWords('  msmtp   -t\t--read-envelope-from \n')).toEqual([
      'msmtp',
      '-t',
      '--read-envelope-from',
    ]);
    expect(splitShellWords('')).toEqual([]);
    expect(splitShellWords('   ')).toEqual([]);
  });

  it('keeps quoted blanks and joins adjacent quoted parts into one word', () => {
    expect(splitShellWords(`curl -d 'text=a b' "x y"z`)).toEqual([
      'curl',
      '-d',
      'text=a b',
      'x yz',
    ]);
    expect(splitShellWords(`a '' ""`)).toEqual(['a', '', '']);
  });

  it('takes single quotes literally and honours the double-quote escapes only', () => {
    expect(splitShellWords(String.raw`'a\"b' "c\"d\\e\nf" g\ h`)).toEqual([
      String.raw`a\"b`,
      String.raw`c"d\e\nf`,
      'g h',
    ]);
  });

  it('expands nothing', () => {
    expect(splitShellWords('echo $HOME ~ * `id`')).toEqual(['echo', '$HOME', '~', '*', '`id`']);
  });

  it('treats a backslash-newline as a continuation', () => {
    expect(splitShellWords('a \\\nb "c\\\nd"')).toEqual(['a', 'b', 'cd']);
  });

  it('refuses an unterminated quote or a trailing backslash', () => {
    expect(() => splitShellWords(`echo 'oops`)).toThrow(
      new ShellWordsError('unterminated single quote'),
    );
    expect(() => splitShellWords('echo "oops')).toThrow(
      new ShellWordsError('unterminated double quote'),
    );
    expect(() => splitShellWords('echo oops\\')).toThrow(new ShellWordsError('trailing backslash'));
  });
});
