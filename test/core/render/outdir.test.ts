import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeEml } from '../../../src/core/render/outdir.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-eml-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const bytes = Buffer.from('Subject: x\r\n\r\nbody\r\n');
const past = new Date('2020-01-01T00:00:00Z');

describe('writeEml', () => {
  it('creates the file under its final name, with nothing else in the folder', () => {
    writeEml(dir, '00001-a_example.org.eml', bytes);
    expect(fs.readdirSync(dir)).toEqual(['00001-a_example.org.eml']);
    expect(fs.readFileSync(path.join(dir, '00001-a_example.org.eml')).equals(bytes)).toBe(true);
  });

  it('leaves a file that already holds the same bytes alone', () => {
    const file = path.join(dir, 'm.eml');
    fs.writeFileSync(file, bytes);
    fs.utimesSync(file, past, past);
    const before = fs.statSync(file);
    writeEml(dir, 'm.eml', bytes);
    const after = fs.statSync(file);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBe(past.getTime());
    expect(fs.readdirSync(dir)).toEqual(['m.eml']);
  });

  it('replaces a differing file (a change, or a partial one) through a new file', () => {
    for (const old of [Buffer.from('Subject: y\r\n\r\nbody\r\n'), bytes.subarray(0, 7)]) {
      const file = path.join(dir, 'm.eml');
      fs.writeFileSync(file, old);
      const before = fs.statSync(file);
      writeEml(dir, 'm.eml', bytes);
      expect(fs.readFileSync(file).equals(bytes)).toBe(true);
      expect(fs.statSync(file).ino).not.toBe(before.ino);
      expect(fs.readdirSync(dir)).toEqual(['m.eml']);
    }
  });

  it('replaces a symlink at the name instead of writing through it', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'bi-outside-'));
    try {
      const target = path.join(outside, 'target');
      fs.writeFileSync(target, bytes);
      fs.symlinkSync(target, path.join(dir, 'm.eml'));
      writeEml(dir, 'm.eml', Buffer.from('other'));
      expect(fs.lstatSync(path.join(dir, 'm.eml')).isFile()).toBe(true);
      expect(fs.readFileSync(path.join(dir, 'm.eml'), 'utf8')).toBe('other');
      expect(fs.readFileSync(target).equals(bytes)).toBe(true);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
