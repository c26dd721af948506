import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../db/client.js';
import { isRefusedRow } from '../../db/errors.js';
import { observations, traces } from '../../db/telemetry-schema.js';
import type { ObservationRecord, PendingRecord, RecordBatch, RecordItem, RecordSink, TraceRecord } from '../records.js';
import { bulkInserter } from './bulk-insert.js';
import { countOnce, tracesOfLinkedRecords } from './counted-once.js';
import { lockOrgTelemetry } from './org-write-lock.js';
import { aggregateRollupChanges, upsertRollups } from './rollups.js';

export type BatchWriterOptions = {
  db: Database;
  log: Pick<FastifyBaseLogger, 'warn' | 'error'>;
  /** Most records written in one transaction. */
  maxBatch?: number;
  flushIntervalMs?: number;
  /** Most records held while the database is away; beyond it the oldest are dropped (and counted). */
  maxBuffered?: number;
  /** Called after each committed batch with what it inserted (the live feed listens here). */
  onCommitted?: (batch: RecordBatch) => void;
};

const insertTraces = bulkInserter<TraceRecord>(traces);
const insertObservations = bulkInserter<ObservationRecord>(observations);
const restateObservations = bulkInserter<ObservationRecord>(observations, { onConflict: 'update' });

type Item = RecordItem;

/** Records built between turns of the event loop: a thousand at once would hold it for milliseconds. */
const BUILD_SLICE = 64;

/**
 * Writes records off the hot path: callers enqueue and go on; every interval (or when a batch is
 * full) one transaction inserts traces and observations and adds generations to the usage rollups.
 * Inserts ignore ids already stored, and rollups count only what was inserted, so a record written
 * twice is counted once. A failed flush keeps its records for the next one, except a record the
 * database refuses on its own (found by halving the batch): it is set aside, logged and counted, so
 * one bad record never holds up the rest.
 */
export class BatchWriter implements RecordSink {
  readonly #db: Database;
  readonly #log: BatchWriterOptions['log'];
  readonly #maxBatch: number;
  readonly #maxBuffered: number;
  readonly #onCommitted: BatchWriterOptions['onCommitted'];
  readonly #timer: NodeJS.Timeout;
  #buffer: PendingRecord[] = [];
  #flushing: Promise<void> | undefined;
  #failures = 0;
  #retryAt = 0;
  /** Records lost to a full buffer since start. */
  dropped = 0;
  /** Records the database refused (a value it cannot store) since start. */
  rejected = 0;
  written = 0;

  constructor(options: BatchWriterOptions) {
    this.#db = options.db;
    this.#log = options.log;
    this.#maxBatch = options.maxBatch ?? 1_000;
    this.#maxBuffered = options.maxBuffered ?? 100_000;
    this.#onCommitted = options.onCommitted;
    this.#timer = setInterval(() => void this.#flushIfDue(), options.flushIntervalMs ?? 200);
    this.#timer.unref();
  }

  get buffered(): number {
    return this.#buffer.length;
  }

  enqueue(item: PendingRecord): void {
    this.#buffer.push(item);
    if (this.#buffer.length > this.#maxBuffered) {
      const excess = this.#buffer.length - this.#maxBuffered;
      this.#buffer.splice(0, excess);
      this.dropped += excess;
      this.#log.error({ dropped: this.dropped }, 'record buffer full: dropped the oldest records');
    }
    if (this.#buffer.length >= this.#maxBatch) void this.#flushIfDue();
  }

  /** Writes everything enqueued so far; rejects if the database refuses (the records stay buffered). */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing.catch(() => {});
    while (this.#buffer.length) await this.#writeBuffered(this.#buffer.length);
  }

  /**
   * Writes the oldest `count` records, a batch at a time. Records enqueued meanwhile wait for the next
   * flush: draining them too kept a busy writer in back-to-back transactions of a few records each,
   * which cost the database (and the event loop, building each statement) ten times more per record.
   */
  async #writeBuffered(count: number): Promise<void> {
    let remaining = count;
    while (remaining > 0 && this.#buffer.length) {
      const pending = this.#buffer.splice(0, Math.min(remaining, this.#maxBatch));
      remaining -= pending.length;
      this.#flushing = this.#build(pending).then((batch) => this.#writeIsolating(batch));
      try {
        await this.#flushing;
      } finally {
        this.#flushing = undefined;
      }
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }

  async #flushIfDue(): Promise<void> {
    if (this.#flushing || this.#buffer.length === 0 || Date.now() < this.#retryAt) return;
    try {
      await this.#writeBuffered(this.#buffer.length);
      this.#failures = 0;
    } catch (error) {
      this.#failures += 1;
      // Back off while the database is away: 0.2 s, 0.4 s, … up to 5 s between tries.
      this.#retryAt = Date.now() + Math.min(5_000, 200 * 2 ** this.#failures);
      this.#log.warn({ err: error, buffered: this.#buffer.length }, 'could not write records; will retry');
    }
  }

  /** Builds the records given as functions, a slice per turn of the event loop. */
  async #build(pending: PendingRecord[]): Promise<Item[]> {
    const items: Item[] = [];
    for (const [index, record] of pending.entries()) {
      if (index > 0 && index % BUILD_SLICE === 0) await nextTurn();
      if (typeof record !== 'function') {
        items.push(record);
        continue;
      }
      try {
        items.push(record());
      } catch (error) {
        this.rejected += 1;
        this.#log.error({ err: error }, 'could not build a record; set it aside');
      }
    }
    return items;
  }

  /**
   * Writes `items`; when the database refuses a row, writes each half on its own until the refused
   * record is alone, and sets it aside. Any other failure puts the unwritten items back and rethrows.
   */
  async #writeIsolating(items: Item[]): Promise<void> {
    try {
      const committed = await this.#write(items);
      this.written += committed.observations.length;
      this.#onCommitted?.(committed);
    } catch (error) {
      if (!isRefusedRow(error)) {
        this.#buffer.unshift(...items);
        throw error;
      }
      const [only] = items;
      if (items.length === 1 && only) {
        this.rejected += 1;
        const record = only.observation ?? only.trace;
        this.#log.error(
          { err: error, orgId: record?.orgId, id: record?.id },
          'the database refused a record; set it aside',
        );
        return;
      }
      const middle = Math.ceil(items.length / 2);
      const rest = items.slice(middle);
      try {
        await this.#writeIsolating(items.slice(0, middle));
      } catch (failure) {
        this.#buffer.unshift(...rest);
        throw failure;
      }
      await this.#writeIsolating(rest);
    }
  }

  async #write(items: Item[]): Promise<RecordBatch> {
    const traceRows = new Map<string, TraceRecord>();
    const observationRows = new Map<string, ObservationRecord>();
    for (const item of items) {
      if (item.trace) traceRows.set(`${item.trace.orgId}\u0000${item.trace.id}`, item.trace);
      if (item.observation)
        observationRows.set(`${item.observation.orgId}\u0000${item.observation.id}`, item.observation);
    }
    // Calls made inside a caller's span may repeat a span the caller exported (see counted-once.ts).
    const linked = tracesOfLinkedRecords([...observationRows.values()]);
    return this.#db.transaction(async (transaction) => {
      const tx = transaction as unknown as Database;
      // Before any row: the ingest writer decides the same spans under this lock.
      if (linked.size) await lockOrgTelemetry(tx, linked.keys());
      const insertedTraces = await insertTraces(tx, [...traceRows.values()]);
      const inserted = await insertObservations(tx, [...observationRows.values()]);
      const insertedObservations = inserted.flatMap((row) => observationRows.get(`${row.orgId}\u0000${row.id}`) ?? []);
      const restated = linked.size ? await countOnce({ tx, writing: [], traces: linked }) : [];
      await restateObservations(
        tx,
        restated.map((change) => change.after),
      );
      await upsertRollups(
        tx,
        aggregateRollupChanges([...insertedObservations.map((after) => ({ after })), ...restated]),
      );
      return {
        traces: insertedTraces.flatMap((row) => traceRows.get(`${row.orgId}\u0000${row.id}`) ?? []),
        observations: insertedObservations,
      };
    });
  }
}
