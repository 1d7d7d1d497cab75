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

export function createOutput(streams: Streams): Output {
  return {
    line: (text = '') => streams.stdout.write(text + '\n'),
    error: (text) => streams.stderr.write(text + '\n'),
    json: (value) => streams.stdout.write(JSON.stringify(value, null, 2) + '\n'),
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
