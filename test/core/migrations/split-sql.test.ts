import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../../src/core/migrations/split-sql.js';

describe('splitStatements', () => {
  it('splits on semicolons and drops comment-only leftovers', () => {
    const script = [
      '-- beta-invites: no-transaction',
      'CREATE INDEX CONCURRENTLY a ON t (x);',
      '/* second; not a split */ CREATE INDEX CONCURRENTLY b ON t (y);',
      '-- trailing comment; with a semicolon',
      '',
    ].join('\n');
    expect(splitStatements(script)).toEqual([
      '-- beta-invites: no-transaction\nCREATE INDEX CONCURRENTLY a ON t (x);',
      '/* second; not a split */ CREATE INDEX CONCURRENTLY b ON t (y);',
    ]);
  });

  it('keeps semicolons inside strings, identifiers, dollar quotes and nested comments', () => {
    const script = `
      insert into t values ('a;b', 'it''s; fine', E'back\\'; slash');
      create table "odd;name" (x int);
      create function f() returns int language sql as $body$ select 1; $body$;
      do $$ begin perform 1; end $$;
      /* outer /* inner; */ still comment; */ select 2
    `;
    expect(splitStatements(script).map((s) => s.replace(/\s+/g, ' '))).toEqual([
      "insert into t values ('a;b', 'it''s; fine', E'back\\'; slash');",
      'create table "odd;name" (x int);',
      'create function f() returns int language sql as $body$ select 1; $body$;',
      'do $$ begin perform 1; end $$;',
      '/* outer /* inner; */ still comment; */ select 2',
    ]);
  });

  it('does not take $1 or a$b$ for dollar quotes', () => {
    expect(splitStatements('select $1; select a$b$c from t; select 3')).toEqual([
      'select $1;',
      'select a$b$c from t;',
      'select 3',
    ]);
  });

  it('returns nothing for comments and blanks only', () => {
    expect(splitStatements('-- nothing\n/* here */\n;\n  ')).toEqual([]);
  });
});
