import { readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { BACKUP_EXTENSION, isBackupFile } from './backup-file.js';

/**
 * Deletes Switchyard backups in `directory` older than `keepDays` (by modification time), never
 * `keep` (the one just written) and never a file that does not start like a backup.
 */
export async function pruneBackups(options: {
  directory: string;
  keepDays: number;
  keep: string;
  now: Date;
}): Promise<string[]> {
  const cutoff = options.now.getTime() - options.keepDays * 24 * 3600_000;
  const removed: string[] = [];
  for (const name of await readdir(options.directory)) {
    const path = join(options.directory, name);
    if (!name.endsWith(BACKUP_EXTENSION) || resolve(path) === resolve(options.keep)) continue;
    const { mtimeMs, isFile } = await stat(path).then(
      (stats) => ({ mtimeMs: stats.mtimeMs, isFile: stats.isFile() }),
      () => ({ mtimeMs: Number.POSITIVE_INFINITY, isFile: false }),
    );
    if (!isFile || mtimeMs >= cutoff || !(await isBackupFile(path))) continue;
    await rm(path, { force: true });
    removed.push(path);
  }
  return removed.sort();
}
