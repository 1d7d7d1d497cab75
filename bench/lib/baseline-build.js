// The binary of an earlier commit, built once into the bench's work folder and reused by
// later runs: the same data rendered by the release before a change and after it, in one
// run, on one machine. Needs the commit in the clone's history (a clean clone has it) and
// the repository's node_modules (linked, not installed again).
import process from 'node:process';
import { Buffer } from 'node:buffer';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { root } from './config.js';

function sh(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'buffer', ...options });
  if (result.status !== 0) {
    const stderr = (result.stderr ?? Buffer.alloc(0)).toString('utf8').slice(-2000);
    throw new Error(`${command} ${args.join(' ')} failed (${result.status}): ${stderr}`);
  }
  return result.stdout;
}

/**
 * The path of `bin/beta-invites.js` as of `commit`, built under `work` on first use
 * (`git archive` of the commit, node_modules linked to this checkout's, `tsc`).
 */
export function baselineBin(work, commit) {
  const full = sh('git', ['-C', root, 'rev-parse', '--verify', `${commit}^{commit}`])
    .toString('utf8')
    .trim();
  const dir = path.join(work, `beta-invites-baseline-${full.slice(0, 12)}`);
  const bin = path.join(dir, 'bin', 'beta-invites.js');
  if (fs.existsSync(path.join(dir, '.built'))) return bin;
  const temp = `${dir}.${process.pid}.tmp`;
  fs.rmSync(temp, { recursive: true, force: true });
  fs.mkdirSync(temp, { recursive: true });
  try {
    const tar = sh('git', ['-C', root, 'archive', '--format=tar', full], {
      maxBuffer: 1 << 30,
    });
    sh('tar', ['-x', '-C', temp], { input: tar });
    fs.symlinkSync(
      fs.realpathSync(path.join(root, 'node_modules')),
      path.join(temp, 'node_modules'),
    );
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    sh(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: temp });
    fs.writeFileSync(path.join(temp, '.built'), `${full}\n`);
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(temp, dir);
  } catch (error) {
    fs.rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  return bin;
}
