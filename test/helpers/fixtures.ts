import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase, type TestDatabaseOptions } from './database.js';
import { startSmtpSink, type SmtpSink, type SmtpSinkOptions } from './smtp.js';
import { startHttpServer, type TestServer } from './http.js';

// One place to import the real parts a test starts: a database, an SMTP sink, HTTP sources,
// invites, the binary and what cleans its output.
export { cleanEnv, normalize, runCli, type CliResult } from './cli.js';
export {
  createTestDatabase,
  dbKind,
  serverUrl,
  type TestDatabase,
  type TestDatabaseOptions,
} from './database.js';
export * from './http.js';
export * from './invites.js';
export { addresses, composeEml, makeOutdir, readJsonl, type Outdir } from './outdir.js';
export { fixture } from './paths.js';
export * from './smtp.js';

/**
 * Creates a part before this file's tests and disposes of it after them, and returns a
 * stand-in that reads the current one. Outside tests and hooks it does not exist yet, and
 * saying so beats an `undefined` deep inside a helper. The parts' methods are closures,
 * so reading them through the stand-in is safe.
 */
function perFile<T extends object>(
  what: string,
  start: () => Promise<T>,
  stop: (part: T) => Promise<void>,
): T {
  let current: T | undefined;
  beforeAll(async () => {
    current = await start();
  });
  afterAll(async () => {
    const part = current;
    current = undefined;
    if (part) await stop(part);
  });
  return new Proxy({} as T, {
    get(_, key) {
      if (!current) throw new Error(`${what} exists only inside tests and hooks`);
      return Reflect.get(current, key) as unknown;
    },
  });
}

/**
 * A fresh database for this test file: created before its tests, dropped after them.
 * Call it at the top level, before the hooks that use it (they then run after it), and
 * pass it to `runCli({ db })` as it is.
 */
export function useTestDatabase(options: TestDatabaseOptions = {}): TestDatabase {
  return perFile(
    'the test database',
    () => createTestDatabase(options),
    (db) => db.drop(),
  );
}

/** A real SMTP sink for this test file (see `startSmtpSink`), closed after its tests. */
export function useSmtpSink(options: SmtpSinkOptions = {}): SmtpSink {
  return perFile(
    'the SMTP sink',
    () => startSmtpSink(options),
    (sink) => sink.close(),
  );
}

/** A real HTTP server for this test file (see `startHttpServer`), closed after its tests. */
export function useHttpServer(): TestServer {
  return perFile('the HTTP server', startHttpServer, (server) => server.close());
}

/** A temporary folder for this test file, removed after its tests. */
export function useScratchDir(prefix = 'bi-test-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return dir;
}
