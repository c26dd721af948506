import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

/** How many holders in this process have each folder: a restore keeps it while it opens and closes the database. */
const holders = new Map<string, number>();

/**
 * PGlite is one process's database: a second process opening the same files would corrupt them.
 * Takes the folder for this process or throws naming the one that has it; returns the release.
 * Re-entrant within a process: the folder is freed when its last holder releases it.
 */
export function lockDataDir(path: string): () => void {
  const file = join(path, 'switchyard.pid');
  if (existsSync(file)) {
    const holder = Number(readFileSync(file, 'utf8').trim());
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new DataDirInUseError(
        `The embedded database in ${path} is in use by process ${holder} (a running Switchyard server). ` +
          'Stop that server first, or do this through its API or dashboard.',
      );
    }
  }
  writeFileSync(file, String(process.pid));
  holders.set(file, (holders.get(file) ?? 0) + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (holders.get(file) ?? 1) - 1;
    if (left > 0) holders.set(file, left);
    else {
      holders.delete(file);
      rmSync(file, { force: true });
    }
  };
}
