import type { ModelPrice, ObservationUpdateBody } from '@switchyard/shared';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { ingestEvents, observations, pendingObservationUpdates, scores, traces } from '../../db/telemetry-schema.js';
import type { ObservationRecord, RecordBatch, TraceRecord } from '../records.js';
import { bulkInserter } from '../writer/bulk-insert.js';
import { selectByValues } from '../writer/bulk-select.js';
import { countOnce, tracesCountedByGateway } from '../writer/counted-once.js';
import { lockOrgTelemetry } from '../writer/org-write-lock.js';
import { aggregateRollupChanges, upsertRollups } from '../writer/rollups.js';
import {
  type EventStatus,
  IngestState,
  type IngestSubmission,
  keyOf,
  type PendingRow,
  type ScoreRow,
} from './ingest-state.js';

export type { EventStatus, IngestSubmission } from './ingest-state.js';

// Rows looked up first and not found are inserted plainly ('fail'): a concurrent writer that got there
// in between makes the transaction fail with 23505, and the writer runs it again.
const insertEnvelopes = bulkInserter<{ orgId: string; id: string }>(ingestEvents, { onConflict: 'fail' });
const insertTraces = bulkInserter<TraceRecord>(traces, { onConflict: 'fail' });
const upsertTraces = bulkInserter<TraceRecord>(traces, { onConflict: 'update' });
const insertObservations = bulkInserter<ObservationRecord>(observations, { onConflict: 'fail' });
const upsertObservations = bulkInserter<ObservationRecord>(observations, { onConflict: 'update' });
const upsertScores = bulkInserter<ScoreRow>(scores, { onConflict: 'update' });
const insertPending = bulkInserter<PendingRow>(pendingObservationUpdates);

/**
 * Applies the submissions' events, in order, in the caller's transaction: envelopes seen before
 * are skipped; traces, observations and scores are merged into what is stored; updates whose
 * observation does not exist yet wait in `pending_observation_updates`; rollups take the difference.
 */
export async function applyIngest(options: {
  tx: Database;
  submissions: readonly IngestSubmission[];
  pricesFor: (orgId: string) => readonly ModelPrice[];
  /** Insert new rows with COPY (a Postgres server). */
  copy?: boolean;
  /**
   * `shared`: the caller expects only new rows (see `onlyCreates`); the org lock is taken shared, and
   * if a row turns out to be stored, this throws `NeedsExclusiveLock` for the caller to run again.
   */
  lock?: 'exclusive' | 'shared';
}): Promise<{ statuses: EventStatus[][]; committed: RecordBatch }> {
  const { tx, submissions } = options;
  const newRows = { copy: options.copy ?? false };

  // Envelopes first, before the org lock, so a concurrent commit's envelopes go in meanwhile. In key
  // order, so two commits sharing envelope ids (a retry racing its original) wait on each other in
  // the same order and cannot deadlock. The first of each id in this group is a candidate; those
  // not stored yet are new.
  const candidates = new Map<string, { orgId: string; id: string }>();
  for (const { orgId, events } of submissions)
    for (const event of events) {
      const key = keyOf(orgId, event.id);
      if (!candidates.has(key)) candidates.set(key, { orgId, id: event.id });
    }
  const seen = new Set<string>();
  for (const orgId of new Set(submissions.map((submission) => submission.orgId))) {
    const ids = [...candidates.values()].filter((row) => row.orgId === orgId).map((row) => row.id);
    for (const row of await selectByValues({
      db: tx,
      table: ingestEvents,
      orgId,
      column: ingestEvents.id,
      values: ids,
    }))
      seen.add(keyOf(orgId, row.id));
  }
  const fresh = new Set([...candidates.keys()].filter((key) => !seen.has(key)).sort());
  await insertEnvelopes(
    tx,
    [...fresh].flatMap((key) => candidates.get(key) ?? []),
    newRows,
  );

  // Merging into stored rows must not race another replica (or the gateway's writer) doing the same.
  const lock = options.lock ?? 'exclusive';
  await lockOrgTelemetry(
    tx,
    submissions.map((submission) => submission.orgId),
    lock,
  );

  const state = await loadStored(tx, submissions, fresh);
  if (lock === 'shared' && state.holdsStoredRows()) throw new NeedsExclusiveLock();
  const statuses = submissions.map((submission) =>
    submission.events.map((event): EventStatus => {
      const key = keyOf(submission.orgId, event.id);
      if (!fresh.delete(key)) return 200;
      state.apply(submission, event);
      return 201;
    }),
  );
  const changes = state.finish(options.pricesFor);
  // A span whose model call went through the gateway is counted by the gateway's record; a span
  // stored before may become one when this batch brings the spans between it and that record.
  // The gateway writes a call's trace with its record (under the org lock when it names a parent
  // span), so a trace looked up above and not found holds none: only the others need a probe.
  const written = changes.observations.map((change) => change.after);
  const restated = await countOnce({
    tx,
    writing: written,
    traces: await tracesCountedByGateway(
      tx,
      written.filter((observation) => !state.absentTraces.has(keyOf(observation.orgId, observation.traceId))),
    ),
  });

  const isStoredTrace = (trace: TraceRecord) => state.storedTraces.has(keyOf(trace.orgId, trace.id));
  // New rows in key order: two writers inserting some of the same keys wait on each other in that
  // order (and the later fails on the key), never in a circle.
  await insertTraces(tx, inKeyOrder(changes.traces.filter((trace) => !isStoredTrace(trace))), newRows);
  await upsertTraces(tx, changes.traces.filter(isStoredTrace));
  await insertObservations(
    tx,
    inKeyOrder(changes.observations.flatMap((change) => (change.before ? [] : [change.after]))),
    newRows,
  );
  await upsertObservations(tx, [
    ...changes.observations.flatMap((change) => (change.before ? [change.after] : [])),
    ...restated.map((change) => change.after),
  ]);
  await upsertScores(tx, changes.scores);
  await insertPending(tx, changes.pending);
  if (changes.consumedPending.length)
    await tx
      .delete(pendingObservationUpdates)
      .where(
        sql`(${pendingObservationUpdates.orgId}, ${pendingObservationUpdates.id}) in (select "orgId"::uuid, id from json_to_recordset(${JSON.stringify(changes.consumedPending)}::json) as r("orgId" text, id text))`,
      );
  await upsertRollups(tx, aggregateRollupChanges([...changes.observations, ...restated]));
  return {
    statuses,
    committed: { traces: changes.traces, observations: changes.observations.map((change) => change.after) },
  };
}

/** Thrown under a shared lock when the events merge into stored rows: run again with the lock exclusive. */
export class NeedsExclusiveLock extends Error {
  constructor() {
    super('the events merge into stored rows: they need the org lock exclusive');
  }
}

/**
 * True when the submissions hold only trace and observation creates: written under the shared lock
 * first, since most such batches bring new traces (updates, scores and out-of-order creates merge).
 */
export function onlyCreates(submissions: readonly IngestSubmission[]): boolean {
  return submissions.every((submission) =>
    submission.events.every((event) => event.type === 'trace-create' || event.type === 'observation-create'),
  );
}

function inKeyOrder<TRow extends { orgId: string; id: string }>(rows: TRow[]): TRow[] {
  return rows.sort((a, b) => (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Reads the rows the fresh events touch, then merges the events into them in memory. */
async function loadStored(tx: Database, submissions: readonly IngestSubmission[], fresh: ReadonlySet<string>) {
  const traceIds = new Map<string, Set<string>>();
  const observationIds = new Map<string, Set<string>>();
  const add = (map: Map<string, Set<string>>, orgId: string, id: string) => {
    const ids = map.get(orgId) ?? new Set<string>();
    ids.add(id);
    map.set(orgId, ids);
  };
  for (const { orgId, events } of submissions)
    for (const event of events) {
      if (!fresh.has(keyOf(orgId, event.id))) continue;
      if (event.type === 'trace-create') add(traceIds, orgId, event.body.id);
      if (event.type === 'observation-create' || event.type === 'observation-update') {
        add(observationIds, orgId, event.body.id);
        if (event.body.traceId) add(traceIds, orgId, event.body.traceId);
      }
    }

  const storedTraces = new Map<string, TraceRecord>();
  const absentTraces = new Set<string>();
  for (const [orgId, ids] of traceIds) {
    for (const row of await selectByValues({ db: tx, table: traces, orgId, column: traces.id, values: ids }))
      storedTraces.set(keyOf(orgId, row.id), row as TraceRecord);
    for (const id of ids) if (!storedTraces.has(keyOf(orgId, id))) absentTraces.add(keyOf(orgId, id));
  }
  const storedObservations = new Map<string, ObservationRecord>();
  const storedPending = new Map<string, PendingRow[]>();
  for (const [orgId, ids] of observationIds) {
    const rows = await selectByValues({ db: tx, table: observations, orgId, column: observations.id, values: ids });
    for (const row of rows) storedObservations.set(keyOf(orgId, row.id), row as ObservationRecord);
    // Updates rarely wait for their create: one probe says whether this org has any, before one per id.
    const anyPending = (await tx.execute(
      sql`select exists (select 1 from pending_observation_updates where org_id = ${orgId}) as "anyPending"`,
    )) as unknown as { rows: Array<{ anyPending: boolean }> };
    const pendingRows = anyPending.rows[0]?.anyPending
      ? await selectByValues({
          db: tx,
          table: pendingObservationUpdates,
          orgId,
          column: pendingObservationUpdates.observationId,
          values: ids,
          orderBy: pendingObservationUpdates.sequence,
        })
      : [];
    for (const row of pendingRows) {
      const key = keyOf(orgId, row.observationId);
      storedPending.set(key, [...(storedPending.get(key) ?? []), { ...row, body: row.body as ObservationUpdateBody }]);
    }
  }
  return new IngestState({ storedTraces, absentTraces, storedObservations, storedPending });
}
