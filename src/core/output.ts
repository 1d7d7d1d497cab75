import { Writable } from 'node:stream';

/**
 * Where a command writes. The only module allowed to touch the console streams; every
 * command receives one of these so tests can capture what it prints.
 */
export interface Output {
  /** Writes one line to stdout. */
  line(text?: string): void;
  /** Writes one line to stderr (notices, progress, errors). */
  error(text: string): void;
  /** Prints one JSON document on stdout. */
  json(value: unknown): void;
  /** True when stdout is an interactive terminal. */
  readonly isTTY: boolean;
  /** True when stderr is an interactive terminal (progress bars go there). */
  readonly stderrIsTTY: boolean;
  readonly stderr: NodeJS.WritableStream;
  readonly stdout: NodeJS.WritableStream;
}

interface Streams {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * What a terminal must never receive from data: C0 controls but the line feed, DEL, C1
 * controls, zero-width and direction characters. A colour sequence (`ESC [ … m`, what
 * the printers' colours are made of) is matched first and kept: it can only colour text.
 */
const UNSAFE =
  // eslint-disable-next-line no-control-regex -- finding control characters is the point
  /\x1b\[[0-9;]*m|[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** The same characters, for JSON output (C0 controls are escaped by JSON.stringify). */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

function hex(char: string, width: number): string {
  return (char.codePointAt(0) ?? 0).toString(16).padStart(width, '0');
}

/**
 * Makes text safe to print on a terminal: every control or invisible character becomes
 * a visible escape (`\x1b`, `\u200b`), so a value cannot move the cursor, retitle the
 * window, hide text or reorder a line. Line feeds and colour sequences are kept.
 */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (m) =>
    m.length > 1 ? m : m.charCodeAt(0) <= 0xff ? `\\x${hex(m, 2)}` : `\\u${hex(m, 4)}`,
  );
}

/** JSON with the characters of escapeControls written as `\uXXXX` (the same JSON value). */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE_IN_JSON, (m) => `\\u${hex(m, 4)}`);
}

/** Console streams behind an Output: every line printed goes through escapeControls. */
export function createOutput(streams: Streams): Output {
  return {
    line: (text = '') => streams.stdout.write(escapeControls(text) + '\n'),
    error: (text) => streams.stderr.write(escapeControls(text) + '\n'),
    json: (value) => streams.stdout.write(safeJson(value) + '\n'),
    isTTY: streams.stdout.isTTY === true,
    stderrIsTTY: streams.stderr.isTTY === true,
    stdout: streams.stdout,
    stderr: streams.stderr,
  };
}

/** An Output that keeps everything in memory (tests, embedding). */
export function memoryOutput(): Output & { stdoutText(): string; stderrText(): string } {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        append(chunk.toString());
        done();
      },
    });
  const base = createOutput({
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
  });
  return { ...base, stdoutText: () => out, stderrText: () => err };
}
