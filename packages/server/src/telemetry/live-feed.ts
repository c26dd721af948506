import { type LiveUpdate, liveUpdateSchema } from '@switchyard/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { Kv } from '../kv/kv.js';
import { safeParseJson } from '../parse-json.js';
import type { ObservationRecord, RecordBatch } from './records.js';

export type { LiveUpdate };

/** On the kv, so every replica's dashboards hear what any replica committed. */
export const LIVE_CHANNEL = 'telemetry:live';
/** Observations listed per org in one message; the totals always cover all of them. */
const MAX_LISTED = 50;

type Listener = (update: LiveUpdate) => void;

function summarize(orgId: string, traces: number, observations: readonly ObservationRecord[], now: Date): LiveUpdate {
  // A span that repeats a gateway record's call is listed, not counted (its record is).
  const generations = observations.filter(
    (observation) => observation.type === 'generation' && !observation.duplicateOf,
  );
  return {
    orgId,
    committedAt: now.toISOString(),
    traces,
    totals: {
      observations: observations.length,
      generations: generations.length,
      errors: observations.filter((observation) => observation.status === 'error').length,
      inputTokens: generations.reduce((sum, observation) => sum + observation.inputTokens, 0),
      outputTokens: generations.reduce((sum, observation) => sum + observation.outputTokens, 0),
      costUsd: generations.reduce((sum, observation) => sum + (observation.costUsd ?? 0), 0),
    },
    observations: observations.slice(-MAX_LISTED).map((observation) => ({
      id: observation.id,
      traceId: observation.traceId,
      type: observation.type,
      name: observation.name ?? null,
      provider: observation.provider ?? null,
      model: observation.model ?? null,
      status: observation.status,
      startTime: observation.startTime.toISOString(),
      latencyMs: observation.latencyMs ?? null,
      inputTokens: observation.inputTokens,
      outputTokens: observation.outputTokens,
      costUsd: observation.costUsd,
    })),
  };
}

/**
 * Committed records, told to the dashboards of their org as they land: the writers publish a
 * summary per org on the kv after each commit, and each replica hands it to its own listeners.
 * Best effort: a dashboard that misses one (kv down) catches up on its next query.
 */
export class LiveFeed {
  readonly #kv: Kv;
  readonly #log: Pick<FastifyBaseLogger, 'warn'>;
  readonly #listeners = new Map<string, Set<Listener>>();
  #unsubscribe: (() => Promise<void>) | undefined;

  constructor(options: { kv: Kv; log: Pick<FastifyBaseLogger, 'warn'> }) {
    this.#kv = options.kv;
    this.#log = options.log;
  }

  async start(): Promise<void> {
    this.#unsubscribe = await this.#kv.subscribe(LIVE_CHANNEL, (message) => {
      const parsed = safeParseJson({ text: message, schema: liveUpdateSchema });
      if (!parsed.success) return;
      for (const listener of this.#listeners.get(parsed.value.orgId) ?? []) listener(parsed.value);
    });
  }

  async stop(): Promise<void> {
    await this.#unsubscribe?.();
    this.#listeners.clear();
  }

  /** Called by the writers after a commit; never throws into them. */
  publish(batch: RecordBatch): void {
    const orgIds = new Set([
      ...batch.traces.map((trace) => trace.orgId),
      ...batch.observations.map((item) => item.orgId),
    ]);
    const now = new Date();
    for (const orgId of orgIds) {
      const update = summarize(
        orgId,
        batch.traces.filter((trace) => trace.orgId === orgId).length,
        batch.observations.filter((observation) => observation.orgId === orgId),
        now,
      );
      this.#kv
        .publish(LIVE_CHANNEL, JSON.stringify(update))
        .catch((error) => this.#log.warn({ err: error }, 'could not publish to the live feed'));
    }
  }

  /** Hears the org's updates until the returned function is called. */
  listen(orgId: string, listener: Listener): () => void {
    const listeners = this.#listeners.get(orgId) ?? new Set<Listener>();
    listeners.add(listener);
    this.#listeners.set(orgId, listeners);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(orgId);
    };
  }
}
