import { describe, expect, it } from 'vitest';
import { FingerprintTable, fingerprint } from '../../../src/core/cohort/fingerprints.js';

describe('fingerprint', () => {
  it('is the same for the same text, differs between texts, and is never 0', () => {
    const texts = Array.from({ length: 50_000 }, (_, i) => `person.${i}@example.org`);
    const prints = texts.map(fingerprint);
    expect(fingerprint('person.1@example.org')).toBe(prints[1]);
    expect(new Set(prints).size).toBe(texts.length);
    expect(prints.every((p) => Number.isSafeInteger(p) && p > 0)).toBe(true);
    expect(fingerprint('')).toBeGreaterThan(0);
  });
});

describe('FingerprintTable', () => {
  it('makes a suspect of a key met twice, and of a key and a canonical form that meet', () => {
    const table = new FingerprintTable();
    table.addKey('a@example.org');
    table.addKey('a@example.org');
    table.addKey('b@example.org');
    table.addVariant('b@example.org');
    table.addVariant('c@gmail.com');
    table.addKey('c@gmail.com');
    table.addVariant('d@example.org');
    table.addVariant('d@example.org');
    table.addKey('e@example.org');
    table.addVariant('f@example.org');
    const suspects = ['a', 'b', 'c', 'd', 'e', 'f'].map((x) =>
      table.isSuspect(`${x}@example.org`.replace('c@example.org', 'c@gmail.com')),
    );
    expect(suspects).toEqual([true, true, true, true, false, false]);
    expect(table.suspects).toBe(4);
    expect(table.keys).toBe(4);
    expect(table.isSuspect('never@example.org')).toBe(false);
  });

  it('keeps what it holds while it grows past its first size', () => {
    const table = new FingerprintTable();
    for (let i = 0; i < 200_000; i++) table.addKey(`person.${i}@example.org`);
    expect(table.suspects).toBe(0);
    expect(table.keys).toBe(200_000);
    table.addKey('person.7@example.org');
    table.addVariant('person.199999@example.org');
    expect(table.suspects).toBe(2);
    expect(table.isSuspect('person.7@example.org')).toBe(true);
    expect(table.isSuspect('person.199999@example.org')).toBe(true);
    expect(table.isSuspect('person.8@example.org')).toBe(false);
  });
});
