import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CsvSyntaxError,
  EncodingError,
  readCsv,
  type CsvRow,
} from '../../../src/core/cohort/read-csv.js';
import type { UserError } from '../../../src/core/errors.js';
import { fixture } from '../../helpers/paths.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-csv-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}

async function rows(p: string): Promise<CsvRow[]> {
  const out: CsvRow[] = [];
  for await (const row of readCsv(p)) out.push(row);
  return out;
}

async function failure(p: string): Promise<unknown> {
  try {
    await rows(p);
  } catch (error) {
    return error;
  }
  throw new Error('expected readCsv to fail');
}

describe('readCsv', () => {
  it('reads BOM, CRLF, quoted fields, spaces around fields and a multi-line quoted field', async () => {
    expect(await rows(fixture('bom-crlf.csv'))).toEqual([
      { line: 1, fields: ['email', 'cohort', 'name', 'locale'] },
      {
        line: 2,
        fields: ['elodie.lefevre@example.org', 'creator-vinyl-pressing', 'Élodie Lefèvre', 'fr-FR'],
      },
      {
        line: 3,
        fields: ['francois.mercier@example.net', 'creator-podcast', 'François Mercier', 'fr-BE'],
      },
      {
        line: 4,
        fields: ['zoe.vezina@example.org', 'listener-jazz-mailing-list', 'Vézina, Zoë', 'fr-CA'],
      },
      {
        line: 5,
        fields: ['anais.guerin@example.net', 'community-member', 'Anaïs "Nana" Guérin', 'fr-CH'],
      },
      // The quoted name spans lines 6 and 7; its CRLF arrives as LF.
      { line: 6, fields: ['noe.perier@example.org', 'press-music', 'Noé\nPérier', 'fr-FR'] },
      {
        line: 8,
        fields: ['helene.benard@example.org', 'creator-vinyl-pressing', 'Hélène Bénard', 'fr-FR'],
      },
    ]);
  });

  it('numbers rows by the line they start on, past blank lines and multi-line fields', async () => {
    const p = file(
      'lines.csv',
      'email,cohort\r\n\r\na@example.org,"x\r\ny\r\nz"\r\n\r\nb@example.org,c\r\nc@example.org,c',
    );
    expect((await rows(p)).map((r) => [r.line, r.fields[0]])).toEqual([
      [1, 'email'],
      [3, 'a@example.org'],
      [7, 'b@example.org'],
      [8, 'c@example.org'],
    ]);
  });

  it('trims spaces inside quotes too', async () => {
    const p = file('spaces.csv', 'email,cohort\n"  a@example.org ","  "\n');
    expect((await rows(p))[1]?.fields).toEqual(['a@example.org', '']);
  });

  it('yields ragged rows as they are', async () => {
    expect((await rows(fixture('ragged.csv'))).map((r) => r.fields.length)).toEqual([
      3, 3, 2, 4, 3, 1,
    ]);
  });

  it('yields nothing for an empty file', async () => {
    expect(await rows(fixture('empty.csv'))).toEqual([]);
  });

  it('stops at the first byte that is not UTF-8, with its line', async () => {
    const error = await failure(fixture('latin1.csv'));
    expect(error).toBeInstanceOf(EncodingError);
    expect((error as EncodingError).line).toBe(3);
  });

  it('finds the right line when a character is cut between two read chunks', async () => {
    // 'é' (2 bytes) straddles the 256 KiB chunk boundary; the Latin-1 byte is 3 lines later.
    const head = 'email,cohort\n';
    const filler = 'a'.repeat(256 * 1024 - head.length - 1);
    const content = Buffer.concat([
      Buffer.from(head + filler + 'é\n' + 'b@example.org,c\n'.repeat(3)),
      Buffer.from([0x7a, 0xe9, 0x0a]),
    ]);
    expect(content.indexOf(Buffer.from('é'))).toBe(256 * 1024 - 1);
    const error = await failure(file('straddle.csv', content));
    expect((error as EncodingError).line).toBe(6);
  });

  it('reports a truncated character at the very end on the last line', async () => {
    const error = await failure(
      file('truncated.csv', Buffer.from([...Buffer.from('email,cohort\na,b\nc,d'), 0xc3])),
    );
    expect((error as EncodingError).line).toBe(3);
  });

  it('points an unclosed quote at the row where it opens', async () => {
    const error = await failure(fixture('unclosed-quote.csv'));
    expect(error).toBeInstanceOf(CsvSyntaxError);
    expect({ line: (error as CsvSyntaxError).line, message: (error as Error).message })
      .toMatchInlineSnapshot(`
      {
        "line": 3,
        "message": "a quoted field starts on this row and is never closed",
      }
    `);
  });

  it('explains stray quotes, at their line', async () => {
    const opening = await failure(
      file('opening.csv', 'email,cohort\na@example.org,c\nb@exa"mple.org,c\n'),
    );
    const closing = await failure(file('closing.csv', 'email,cohort\n"b@example.org"x,c\n'));
    expect([opening, closing].map((e) => `${(e as CsvSyntaxError).line}: ${(e as Error).message}`))
      .toMatchInlineSnapshot(`
        [
          "3: a quote inside an unquoted field: quote the whole field and double the quotes in it",
          "2: text right after a closing quote: double the quotes inside a quoted field",
        ]
      `);
  });

  it('caps a runaway record instead of buffering the rest of the file', async () => {
    const p = file(
      'runaway.csv',
      'email,cohort\na@example.org,"never closed\n' + 'x,y\n'.repeat(300_000),
    );
    const error = await failure(p);
    expect(`${(error as CsvSyntaxError).line}: ${(error as Error).message}`).toMatchInlineSnapshot(
      `"2: a row longer than 1000000 bytes starts here (a quote that is never closed?)"`,
    );
  });

  it('says in one line why a path cannot be read', async () => {
    const missing = await failure(path.join(dir, 'missing.csv'));
    const directory = await failure(dir);
    expect((missing as UserError).hint).toBe(
      `check the path; the current folder is ${process.cwd()}`,
    );
    expect((directory as UserError).hint).toBe('pass the cohort CSV file itself, not its folder');
    expect([missing, directory].map((e) => (e as Error).message.replace(dir, 'DIR')))
      .toMatchInlineSnapshot(`
      [
        "cannot read DIR/missing.csv: no such file",
        "cannot read DIR: is a directory",
      ]
    `);
  });
});
