import { statSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { type CliContext, requireDatabase } from '../../cli/cli-context.js';
import { CliError } from '../../cli/cli-error.js';
import { totalRows } from '../table-census.js';
import { createBackup, restoreBackup } from './backup.js';
import { BackupError } from './backup-file.js';
import { PostgresToolError } from './postgres-tools.js';

const progress = (line: string) => process.stderr.write(`${line}\n`);

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function parseKeepDays(value: string): number {
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > 3650)
    throw new InvalidArgumentError('must be a whole number of days from 1 to 3650');
  return days;
}

/** Backup's own errors already say what to fix, so the user sees them as they are, without a stack trace. */
async function withBackupErrorsShown<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof BackupError || error instanceof PostgresToolError)
      throw new CliError(error.message, { cause: error });
    throw error;
  }
}

/** `switchyard backup` and `switchyard restore`. */
export function registerBackupCommands(program: Command, context: CliContext): void {
  program
    .command('backup')
    .description(
      'Back up the database to one compressed file: the embedded database (stop the server first) or, with DATABASE_URL, a Postgres server through pg_dump',
    )
    .requiredOption('--out <path>', 'the file to write, or a folder to write switchyard-<time>.backup into')
    .option('--keep-days <n>', 'then delete backups in the same folder older than this many days', parseKeepDays)
    .addHelpText(
      'after',
      '\nExamples:\n  switchyard backup --out backups/\n  switchyard backup --out /var/backups/switchyard/ --keep-days 14   # e.g. from cron, daily',
    )
    .action(async (options: { out: string; keepDays?: number }) => {
      const config = context.loadConfig();
      requireDatabase(config);
      const started = Date.now();
      const { file, manifest, pruned } = await withBackupErrorsShown(() =>
        createBackup({
          target: { databaseUrl: config.databaseUrl, dataDir: config.dataDir, secretKey: config.secretKey },
          out: options.out,
          keepDays: options.keepDays,
          now: new Date(),
          progress,
        }),
      );
      for (const old of pruned) progress(`Deleted ${old} (older than ${options.keepDays} days)`);
      process.stdout.write(
        `Backed up ${manifest.tables.length} tables, ${totalRows(manifest.tables)} rows, to ${file} ` +
          `(${megabytes(statSync(file).size)}, ${((Date.now() - started) / 1000).toFixed(1)} s)\n`,
      );
    });

  program
    .command('restore')
    .description(
      'Restore a backup made by "switchyard backup" into the configured database, then check every table against it',
    )
    .argument('<file>', 'a .backup file')
    .option('--force', 'replace a database that already holds data')
    .addHelpText(
      'after',
      '\nAn embedded backup goes back into DATA_DIR, or with DATABASE_URL into a Postgres server (moving to a server);\na server backup goes into a server. Stop the server first when restoring into the embedded database.',
    )
    .action(async (file: string, options: { force?: boolean }) => {
      const config = context.loadConfig();
      const { manifest, census, warnings } = await withBackupErrorsShown(() =>
        restoreBackup({
          target: { databaseUrl: config.databaseUrl, dataDir: config.dataDir, secretKey: config.secretKey },
          file,
          force: options.force ?? false,
          progress,
        }),
      );
      for (const warning of warnings) progress(`Warning: ${warning}`);
      process.stdout.write(
        `Restored ${census.length} tables, ${totalRows(census)} rows, from ${file} (taken ${manifest.createdAt}); ` +
          'every row count and checksum matches the backup.\n',
      );
    });
}
