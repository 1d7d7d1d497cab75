import fs from 'node:fs';
import path from 'node:path';
import { isAlive } from '../pid.js';

/** A place in line for a lock file. */
export interface Ticket {
  /** True when no live process that came earlier is still waiting. */
  first(): boolean;
  leave(): void;
}

let taken = 0;

/**
 * Joins the line of processes waiting for `lockPath`: one empty file each, in
 * `<lockPath>.queue/`, named by arrival time. Without a line, a monitor that reopens the
 * directory every second, polling like everyone else, could win it again and again while
 * a command waits out its whole wait; in line, each waits only for those who came first.
 * Tickets of processes that are gone are removed by whoever sees them.
 */
export function joinQueue(lockPath: string): Ticket {
  const dir = `${lockPath}.queue`;
  fs.mkdirSync(dir, { recursive: true });
  const name = `${String(Date.now()).padStart(15, '0')}-${process.pid}-${taken++}`;
  const file = path.join(dir, name);
  fs.writeFileSync(file, '');
  const leave = () => {
    process.off('exit', leave);
    fs.rmSync(file, { force: true });
  };
  process.on('exit', leave);
  return {
    first: () => {
      for (const other of fs.readdirSync(dir).sort()) {
        if (other >= name) return true;
        const pid = Number(other.split('-')[1]);
        if (pid === process.pid || isAlive(pid)) return false;
        fs.rmSync(path.join(dir, other), { force: true });
      }
      return true;
    },
    leave,
  };
}
