import { describe, expect, it } from 'vitest';
import { describeAddress, parseDatabaseUrl, redactUrls } from '../../../src/core/db/url.js';

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    const e = error as Error & { hint?: string; exitCode?: number };
    return `${e.exitCode}: ${e.message} | ${e.hint ?? ''}`;
  }
  throw new Error('expected an error');
}

describe('parseDatabaseUrl', () => {
  it('reads host, port, database and user, never the password', () => {
    const address = parseDatabaseUrl('postgres://bob:s3cret@db.example.org:6543/app');
    expect(address).toEqual({ host: 'db.example.org', port: 6543, database: 'app', user: 'bob' });
    expect(JSON.stringify(address)).not.toContain('s3cret');
    expect(describeAddress(address)).toBe('db.example.org:6543/app');
  });

  it('defaults like libpq: port 5432, database named after the user, host from ?host=', () => {
    expect(describeAddress(parseDatabaseUrl('postgresql://bob@localhost'))).toBe(
      'localhost:5432/bob',
    );
    expect(describeAddress(parseDatabaseUrl('postgres:///app?host=/var/run/postgresql'))).toBe(
      '/var/run/postgresql:5432/app',
    );
    expect(describeAddress(parseDatabaseUrl('postgres://[::1]:5433/x'))).toBe('[::1]:5433/x');
  });

  it('names host and port of a URL that does not parse, without the password', () => {
    const cases = [
      'postgres://bob:s3cret@127.0.0.1:notaport/app',
      'postgres://bob:s3/cret@db.example.org:5432/app',
      'postgres://bob:s3cret@:5432/app',
      'not a url',
    ];
    const messages = cases.map((url) => message(() => parseDatabaseUrl(url)));
    expect(messages.join('\n')).not.toMatch(/s3|cret/);
    expect(messages).toMatchInlineSnapshot(`
      [
        "1: DATABASE_URL is not a valid URL (host "127.0.0.1", port "notaport") | expected postgres://HOST:PORT/DATABASE with USER:PASSWORD@ before HOST; percent-encode / @ : # ? in the password",
        "1: DATABASE_URL is not a valid URL (host "db.example.org", port "5432") | expected postgres://HOST:PORT/DATABASE with USER:PASSWORD@ before HOST; percent-encode / @ : # ? in the password",
        "1: DATABASE_URL is not a valid URL (host missing, port "5432") | expected postgres://HOST:PORT/DATABASE with USER:PASSWORD@ before HOST; percent-encode / @ : # ? in the password",
        "1: DATABASE_URL is not a valid URL (no postgres:// prefix) | expected postgres://HOST:PORT/DATABASE with USER:PASSWORD@ before HOST; percent-encode / @ : # ? in the password",
      ]
    `);
  });

  it('refuses another scheme', () => {
    expect(message(() => parseDatabaseUrl('mysql://bob:s3cret@h/db'))).toMatchInlineSnapshot(
      `"1: DATABASE_URL must start with postgres:// or postgresql:// (got mysql://) | point it at a PostgreSQL server, or unset it to use the embedded database"`,
    );
  });
});

describe('redactUrls', () => {
  it('hides the password of every URL in a text', () => {
    expect(
      redactUrls(
        'a postgres://bob:s3cret@h:5432/db and smtp://me:p%40ss@mail:587 but not https://h/x',
      ),
    ).toBe('a postgres://bob:***@h:5432/db and smtp://me:***@mail:587 but not https://h/x');
  });
});
