import type { FastifyBaseLogger } from 'fastify';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { Clock } from '../../clock.js';
import type { DatabaseHandle } from '../../db/client.js';
import { totalRows } from '../table-census.js';
import { createBackup } from './backup.js';

export type BackupSchedulerOptions = {
  database: DatabaseHandle;
  dataDir: string;
  secretKey: string;
  dir: string;
  intervalHours: number;
  keepDays: number;
  clock: Clock;
  log: Pick<FastifyBaseLogger, 'info' | 'error'>;
  registry: Registry;
};

/**
 * Backs up the embedded database from inside the running server (BACKUP_DIR), where cron cannot:
 * PGlite belongs to this process. Each run holds the database's one session from the row count to
 * the dump, so requests wait that long (the gateway keeps answering; its records queue meanwhile).
 */
export class BackupScheduler {
  readonly #options: BackupSchedulerOptions;
  readonly #runs: Counter<'outcome'>;
  readonly #lastSuccess: Gauge;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: BackupSchedulerOptions) {
    this.#options = options;
    this.#runs = new Counter({
      name: 'switchyard_backups_total',
      help: 'Scheduled backups of the embedded database, by outcome (success, failure)',
      labelNames: ['outcome'],
      registers: [options.registry],
    });
    this.#lastSuccess = new Gauge({
      name: 'switchyard_backup_last_success_timestamp_seconds',
      help: 'When the last scheduled backup finished (alert when it is older than the interval)',
      registers: [options.registry],
    });
  }

  start(): void {
    this.#timer = setInterval(() => void this.runOnce(), this.#options.intervalHours * 3600_000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
  }

  /** One backup now (a run already going is awaited instead); failures are logged and counted. */
  runOnce(): Promise<void> {
    this.#running ??= this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #run(): Promise<void> {
    const { database, dataDir, secretKey, dir, keepDays, clock, log } = this.#options;
    const now = new Date(clock.now());
    try {
      const { file, manifest, pruned } = await createBackup({
        target: { databaseUrl: undefined, dataDir, secretKey, database },
        out: `${dir.replace(/\/+$/, '')}/`,
        keepDays,
        now,
        progress: () => {},
      });
      this.#runs.inc({ outcome: 'success' });
      this.#lastSuccess.set(clock.now() / 1000);
      log.info(
        { file, tables: manifest.tables.length, rows: totalRows(manifest.tables), pruned: pruned.length },
        'scheduled backup written',
      );
    } catch (error) {
      this.#runs.inc({ outcome: 'failure' });
      log.error({ err: error }, 'scheduled backup failed');
    }
  }
}
