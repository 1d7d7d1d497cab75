import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../src/core/db/open.js';
import { root, scratch, templateHome } from './paths.js';

/** A hash of the migrations, so the template is rebuilt whenever they change. */
function migrationsHash(): string {
  const dir = path.join(root, 'migrations');
  const hash = createHash('sha256');
  for (const name of fs.readdirSync(dir).sort()) {
    hash.update(name).update(fs.readFileSync(path.join(dir, name)));
  }
  return hash.digest('hex');
}

/**
 * Builds dist/ (the binary under test is the real one) and, once per migrations change,
 * a migrated embedded data directory that each test copies instead of running initdb
 * (≈5 s and 800 MB each time). Type errors are reported by `npm run typecheck`; here
 * they only print, so the emitted JavaScript is still tested.
 */
export default async function setup(): Promise<void> {
  const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
  spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  fs.mkdirSync(scratch, { recursive: true });
  const stamp = path.join(templateHome, 'migrations.sha256');
  const hash = migrationsHash();
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === hash) return;
  // Built aside and renamed into place, so concurrent test runs never see half of one.
  const building = `${templateHome}.${process.pid}`;
  fs.rmSync(building, { recursive: true, force: true });
  const db = await openDatabase({ databaseUrl: undefined, home: building }, { notice: () => {} });
  await db.close();
  fs.writeFileSync(path.join(building, 'migrations.sha256'), hash);
  fs.rmSync(templateHome, { recursive: true, force: true });
  try {
    fs.renameSync(building, templateHome);
  } catch {
    fs.rmSync(building, { recursive: true, force: true });
  }
}
