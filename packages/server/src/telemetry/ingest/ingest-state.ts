import type { IngestEvent, ModelPrice, ObservationUpdateBody } from '@switchyard/shared';
import type { ObservationSource, scores } from '../../db/telemetry-schema.js';
import type { ObservationRecord, TraceRecord } from '../records.js';
import { changesPricedFields, impliedTrace, mergeObservation, mergeTrace, priceObservation } from './ingest-merge.js';

/** One request's events, already validated, from one org. */
export type IngestSubmission = {
  orgId: string;
  apiKeyId: string | null;
  source: Exclude<ObservationSource, 'gateway'>;
  events: readonly IngestEvent[];
};

/** Per event: 201 applied now, 200 applied before (its envelope id was seen: a retry). */
export type EventStatus = 200 | 201;

export type ScoreRow = typeof scores.$inferInsert;
export type PendingRow = { orgId: string; id: string; observationId: string; body: ObservationUpdateBody };

export const keyOf = (orgId: string, id: string) => `${orgId}\u0000${id}`;

/** The rows as the events leave them, and what they were before (for the rollup difference). */
export class IngestState {
  readonly #traces = new Map<string, TraceRecord>();
  readonly #observations = new Map<string, ObservationRecord>();
  readonly #costSent = new Set<string>();
  readonly #repriced = new Set<string>();
  readonly #scores = new Map<string, ScoreRow>();
  /** Updates still waiting for their observation, by observation. */
  readonly #pending = new Map<string, PendingRow[]>();
  readonly #consumedPending: Array<{ orgId: string; id: string }> = [];

  readonly storedTraces: ReadonlyMap<string, TraceRecord>;
  /** Traces looked up and not found: stored by no one before this transaction. */
  readonly absentTraces: ReadonlySet<string>;
  readonly storedObservations: ReadonlyMap<string, ObservationRecord>;
  readonly storedPending: Map<string, PendingRow[]>;

  constructor(stored: {
    storedTraces: ReadonlyMap<string, TraceRecord>;
    absentTraces: ReadonlySet<string>;
    storedObservations: ReadonlyMap<string, ObservationRecord>;
    storedPending: Map<string, PendingRow[]>;
  }) {
    this.storedTraces = stored.storedTraces;
    this.absentTraces = stored.absentTraces;
    this.storedObservations = stored.storedObservations;
    this.storedPending = stored.storedPending;
  }

  /** True when the events touch a stored trace, observation or waiting update: they merge, under the exclusive lock. */
  holdsStoredRows(): boolean {
    return this.storedTraces.size > 0 || this.storedObservations.size > 0 || this.storedPending.size > 0;
  }

  apply(submission: IngestSubmission, event: IngestEvent): void {
    const { orgId } = submission;
    switch (event.type) {
      case 'trace-create': {
        const key = keyOf(orgId, event.body.id);
        const stored = this.#traces.get(key) ?? this.storedTraces.get(key);
        this.#traces.set(key, mergeTrace({ orgId, stored, body: event.body, receivedAt: new Date(event.timestamp) }));
        return;
      }
      case 'observation-create':
      case 'observation-update': {
        const key = keyOf(orgId, event.body.id);
        const stored = this.#observations.get(key) ?? this.storedObservations.get(key);
        if (event.type === 'observation-update' && !stored) {
          const waiting = this.#pending.get(key) ?? [];
          waiting.push({ orgId, id: event.id, observationId: event.body.id, body: event.body });
          this.#pending.set(key, waiting);
          return;
        }
        this.#merge(submission, key, stored, event.body);
        if (!stored) {
          // Updates that came before this create now apply, oldest first.
          for (const pending of this.storedPending.get(key) ?? []) {
            this.#merge(submission, key, this.#observations.get(key), pending.body);
            this.#consumedPending.push({ orgId, id: pending.id });
          }
          this.storedPending.delete(key);
          for (const pending of this.#pending.get(key) ?? [])
            this.#merge(submission, key, this.#observations.get(key), pending.body);
          this.#pending.delete(key);
        }
        const observation = this.#observations.get(key);
        // Only an event naming the trace can imply it: that id was looked up, so "not stored" is known.
        if (
          observation &&
          event.body.traceId !== undefined &&
          !this.#traces.has(keyOf(orgId, observation.traceId)) &&
          !this.storedTraces.has(keyOf(orgId, observation.traceId))
        )
          this.#traces.set(keyOf(orgId, observation.traceId), impliedTrace(observation));
        return;
      }
      case 'score-create':
        this.#scores.set(keyOf(orgId, event.body.id), {
          orgId,
          id: event.body.id,
          traceId: event.body.traceId,
          observationId: event.body.observationId ?? null,
          name: event.body.name,
          value: event.body.value,
          source: event.body.source ?? 'api',
          comment: event.body.comment ?? null,
        });
    }
  }

  #merge(
    submission: IngestSubmission,
    key: string,
    stored: ObservationRecord | undefined,
    body: Parameters<typeof mergeObservation>[0]['body'],
  ): void {
    const merged = mergeObservation({
      orgId: submission.orgId,
      stored,
      body,
      source: submission.source,
      apiKeyId: submission.apiKeyId,
    });
    this.#observations.set(key, merged);
    if (body.costUsd !== undefined) this.#costSent.add(key);
    else if (changesPricedFields(body)) this.#repriced.add(key);
  }

  finish(pricesFor: (orgId: string) => readonly ModelPrice[]) {
    const changed = [...this.#observations.entries()].map(([key, merged]) => {
      const reprice = this.#repriced.has(key) && !this.#costSent.has(key);
      if (reprice) merged.costUsd = priceObservation(merged, pricesFor(merged.orgId));
      return { before: this.storedObservations.get(key), after: merged };
    });
    return {
      traces: [...this.#traces.values()],
      observations: changed,
      scores: [...this.#scores.values()],
      pending: [...this.#pending.values()].flat(),
      consumedPending: this.#consumedPending,
    };
  }
}
