import type { ModelPrice } from '@switchyard/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.js';
import { isDataError, isDeadlock, isUniqueViolation } from '../../db/errors.js';
import type { RecordBatch } from '../records.js';
import {
  applyIngest,
  type EventStatus,
  type IngestSubmission,
  NeedsExclusiveLock,
  onlyCreates,
} from './ingest-apply.js';

type Waiting = {
  submission: IngestSubmission;
  resolve: (statuses: EventStatus[]) => void;
  reject: (error: unknown) => void;
};

export type IngestWriterOptions = {
  db: Database;
  prices: { forOrg(orgId: string): Promise<readonly ModelPrice[]> };
  log: Pick<FastifyBaseLogger, 'warn'>;
  /** Most events written in one transaction; requests beyond it wait for the next. */
  maxEventsPerCommit?: number;
  /**
   * Transactions at once. Two overlap one commit's envelope insert (and the waiting requests' JS)
   * with another's writes; one org's merges still take turns under its lock. 1 for PGlite (one session).
   */
  concurrency?: number;
  /** Write new rows with COPY: only on a Postgres server. */
  copy?: boolean;
  /** Called after each committed group with the rows it wrote (the live feed listens here). */
  onCommitted?: (batch: RecordBatch) => void;
};

/**
 * Group commit: requests that arrive while a transaction is running wait together, and the next
 * transaction writes all of their events at once; then each request is answered. So an answer
 * always means committed, and many small requests cost one commit, not one each.
 */
export class IngestWriter {
  readonly #db: Database;
  readonly #prices: IngestWriterOptions['prices'];
  readonly #log: IngestWriterOptions['log'];
  readonly #maxEvents: number;
  readonly #onCommitted: IngestWriterOptions['onCommitted'];
  readonly #concurrency: number;
  readonly #copy: boolean;
  #waiting: Waiting[] = [];
  readonly #running = new Set<Promise<void>>();
  /** Transactions committed since start. */
  commits = 0;

  constructor(options: IngestWriterOptions) {
    this.#db = options.db;
    this.#prices = options.prices;
    this.#log = options.log;
    this.#maxEvents = options.maxEventsPerCommit ?? 10_000;
    this.#onCommitted = options.onCommitted;
    this.#concurrency = Math.max(1, options.concurrency ?? 1);
    this.#copy = options.copy ?? false;
  }

  /** Resolves with each event's status once its transaction has committed; rejects if it did not. */
  write(submission: IngestSubmission): Promise<EventStatus[]> {
    if (submission.events.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#waiting.push({ submission, resolve, reject });
      if (this.#running.size < this.#concurrency) {
        const drain = this.#drain().finally(() => this.#running.delete(drain));
        this.#running.add(drain);
      }
    });
  }

  /** Resolves when everything handed in so far is written (or refused). */
  async stop(): Promise<void> {
    while (this.#running.size) await Promise.all(this.#running);
  }

  async #drain(): Promise<void> {
    while (this.#waiting.length) await this.#commitGroup(this.#takeGroup());
  }

  #takeGroup(): Waiting[] {
    let events = 0;
    let count = 0;
    for (const waiting of this.#waiting) {
      if (count > 0 && events + waiting.submission.events.length > this.#maxEvents) break;
      events += waiting.submission.events.length;
      count += 1;
    }
    return this.#waiting.splice(0, count);
  }

  async #commitGroup(group: Waiting[]): Promise<void> {
    try {
      await this.#commit(group).catch((error) => {
        // Another writer stored one of these rows after this one looked (or, both inserting, they
        // deadlocked): run again, with the lock exclusive, and it will see them.
        if (isUniqueViolation(error) || isDeadlock(error) || error instanceof NeedsExclusiveLock)
          return this.#commit(group, 'exclusive');
        throw error;
      });
    } catch (error) {
      if (group.length > 1 && isDataError(error)) {
        // One request's data sank the group: write each alone, so only that one is refused.
        for (const waiting of group) await this.#commit([waiting]).catch((alone) => waiting.reject(alone));
        return;
      }
      this.#log.warn({ err: error, requests: group.length }, 'could not write ingested events');
      for (const waiting of group) waiting.reject(error);
    }
  }

  async #commit(group: Waiting[], lock?: 'exclusive'): Promise<void> {
    const submissions = group.map((waiting) => waiting.submission);
    const orgIds = [...new Set(submissions.map((submission) => submission.orgId))];
    const prices = new Map(
      await Promise.all(orgIds.map(async (orgId) => [orgId, await this.#prices.forOrg(orgId)] as const)),
    );
    const { statuses, committed } = await this.#db.transaction((transaction) =>
      applyIngest({
        tx: transaction as unknown as Database,
        submissions,
        copy: this.#copy,
        lock: lock ?? (onlyCreates(submissions) ? 'shared' : 'exclusive'),
        pricesFor: (orgId) => prices.get(orgId) ?? [],
      }),
    );
    this.commits += 1;
    for (const [index, waiting] of group.entries()) waiting.resolve(statuses[index] ?? []);
    this.#onCommitted?.(committed);
  }
}
