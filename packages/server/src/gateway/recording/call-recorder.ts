import { computeCostUsd, MAX_PAYLOAD_DEPTH, nestsDeeperThan, type Usage } from '@switchyard/shared';
import type { ApiKeyPrincipal } from '../../auth/index.js';
import type { CallPricing } from '../../pricing/index.js';
import type { RecordItem, RecordSink } from '../../telemetry/index.js';
import type { CallMetrics } from './call-metrics.js';
import type { TraceContext } from './trace-headers.js';

/** Everything known about one gateway call once it has ended, successfully or not. */
export type GatewayCall = {
  principal: ApiKeyPrincipal;
  requestId: string;
  trace: TraceContext;
  endpoint: 'chat.completions' | 'embeddings' | 'messages';
  provider: string;
  /** The `provider/model` that answered (or was tried last). */
  model: string;
  /** What the client asked for, the alias it named and every attempt: kept in the record's metadata. */
  routing?: { requested: string; alias?: string; attempts: unknown[] };
  startedAt: Date;
  latencyMs: number;
  ttftMs?: number;
  usage: Usage;
  status: 'success' | 'error';
  statusCode: number;
  error?: string;
  attempts: number;
  cacheStatus?: 'HIT' | 'MISS';
  input?: unknown;
  output?: unknown;
  /** How the call is costed: the org's prices for its own providers, the operator's for the server's. */
  pricing?: CallPricing;
};

/** Turns each call into a trace + generation for the batch writer, and into Prometheus series. */
export class GatewayRecorder {
  readonly #records: RecordSink;
  readonly #metrics: CallMetrics;

  constructor(options: { records: RecordSink; metrics: CallMetrics }) {
    this.#records = options.records;
    this.#metrics = options.metrics;
  }

  /**
   * Returns the call's cost in USD (null when its model has no price). The record itself is built by
   * the writer when it writes, off the request.
   */
  record(call: GatewayCall): number | null {
    // A cache hit spends nothing upstream, whatever the model costs.
    const costUsd = call.cacheStatus === 'HIT' ? 0 : computeCostUsd(call.pricing?.priceOf(call.model), call.usage);
    this.#metrics.observe({ ...call, costUsd });
    this.#records.enqueue(() => recordOf(call, costUsd));
    return costUsd;
  }
}

/** The call as the telemetry store keeps it: a trace and its generation. */
function recordOf(call: GatewayCall, costUsd: number | null): RecordItem {
  const orgId = call.principal.orgId;
  const traceId = call.trace.traceId ?? call.requestId;
  const endTime = new Date(call.startedAt.getTime() + call.latencyMs);
  const payloads = call.principal.key.logPayloads;
  return {
    trace: {
      orgId,
      id: traceId,
      name: call.endpoint,
      sessionId: call.trace.sessionId,
      userId: call.trace.userId,
      tags: call.trace.tags,
      startTime: call.startedAt,
      endTime,
    },
    observation: {
      orgId,
      id: call.requestId,
      traceId,
      parentId: call.trace.parentSpanId ?? null,
      type: 'generation',
      name: call.endpoint,
      provider: call.provider,
      model: call.model,
      startTime: call.startedAt,
      endTime,
      completionStartTime: call.ttftMs === undefined ? null : new Date(call.startedAt.getTime() + call.ttftMs),
      ttftMs: call.ttftMs ?? null,
      latencyMs: call.latencyMs,
      inputTokens: call.usage.inputTokens,
      outputTokens: call.usage.outputTokens,
      cachedInputTokens: call.usage.cachedInputTokens,
      costUsd,
      status: call.status,
      level: call.status === 'error' ? 'ERROR' : 'DEFAULT',
      statusCode: call.statusCode,
      error: call.error ?? null,
      cacheStatus: call.cacheStatus ?? null,
      attempts: call.attempts,
      apiKeyId: call.principal.key.id,
      input: payloads ? storablePayload(call.input) : null,
      output: payloads ? storablePayload(call.output) : null,
      metadata: call.routing ?? null,
    },
  };
}

/**
 * The payload as the record keeps it: one nested past what jsonb (and JSON.stringify) can take would
 * fail its whole batch on every retry, so the record keeps a note instead of it.
 */
function storablePayload(payload: unknown): unknown {
  if (payload === undefined) return null;
  return nestsDeeperThan(payload, MAX_PAYLOAD_DEPTH)
    ? { omitted: `nested deeper than ${MAX_PAYLOAD_DEPTH} levels` }
    : payload;
}
