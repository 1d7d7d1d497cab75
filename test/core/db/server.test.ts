import { describe, expect, it } from 'vitest';
import { connectionError, openServer } from '../../../src/core/db/server.js';
import { closedPort } from '../../helpers/http.js';

describe('openServer', () => {
  it('fails with one line naming host and port when nothing listens, never the password', async () => {
    const port = await closedPort();
    const error = await openServer(`postgres://bob:s3cret-pw@127.0.0.1:${port}/app`, 1).then(
      () => undefined,
      (e: unknown) => e as Error & { hint?: string; exitCode?: number },
    );
    expect(error?.exitCode).toBe(1);
    const text = `${error?.message} | ${error?.hint}`.replace(String(port), 'PORT');
    expect(text).not.toContain('s3cret');
    expect(text).toMatchInlineSnapshot(
      `"cannot connect to the database at 127.0.0.1:PORT/app: connection refused | check that the server is running and DATABASE_URL is right"`,
    );
  });
});

describe('connectionError', () => {
  it('turns each failure code into a reason', () => {
    const address = { host: 'db.example.org', port: 5432, database: 'app', user: 'bob' };
    const codes = ['ECONNREFUSED', 'ENOTFOUND', 'CONNECT_TIMEOUT', '28P01', '3D000', 'XX000'];
    expect(codes.map((code) => connectionError({ code }, address).message)).toMatchInlineSnapshot(`
      [
        "cannot connect to the database at db.example.org:5432/app: connection refused",
        "cannot connect to the database at db.example.org:5432/app: host not found",
        "cannot connect to the database at db.example.org:5432/app: timed out",
        "cannot connect to the database at db.example.org:5432/app: password authentication failed for user "bob"",
        "cannot connect to the database at db.example.org:5432/app: database "app" does not exist",
        "cannot connect to the database at db.example.org:5432/app: connection failed",
      ]
    `);
  });
});
