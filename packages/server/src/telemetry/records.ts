import type { ObservationType } from '@switchyard/shared';
import type { ObservationSource } from '../db/telemetry-schema.js';

/** A trace as the batch writer stores it. */
export type TraceRecord = {
  orgId: string;
  id: string;
  name?: string | null;
  sessionId?: string | null;
  userId?: string | null;
  tags?: string[];
  metadata?: unknown;
  input?: unknown;
  output?: unknown;
  startTime: Date;
  endTime?: Date | null;
};

/** An observation as the batch writer stores it; generations also feed the usage rollups. */
export type ObservationRecord = {
  orgId: string;
  id: string;
  traceId: string;
  parentId?: string | null;
  type: ObservationType;
  name?: string | null;
  provider?: string | null;
  model?: string | null;
  startTime: Date;
  endTime?: Date | null;
  completionStartTime?: Date | null;
  ttftMs?: number | null;
  latencyMs?: number | null;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number | null;
  status: 'success' | 'error';
  level?: string;
  statusCode?: number | null;
  error?: string | null;
  cacheStatus?: string | null;
  attempts?: number;
  apiKeyId?: string | null;
  /** Unset means the gateway. */
  source?: ObservationSource;
  /** The gateway record that counts this model call; set on a span that describes the same call. */
  duplicateOf?: string | null;
  input?: unknown;
  output?: unknown;
  metadata?: unknown;
};

export type RecordBatch = { traces: TraceRecord[]; observations: ObservationRecord[] };

/** One thing to record: a trace, an observation in it, or both. */
export type RecordItem = { trace?: TraceRecord; observation?: ObservationRecord };

/**
 * A record, or how to build it: a function is called by the writer when it writes, so building the
 * rows (checking payloads, laying out a trace and a generation) happens there, not on the request.
 * It must not throw, and may be called again if a write is retried.
 */
export type PendingRecord = RecordItem | (() => RecordItem);

/**
 * Where other domains record what they did (the gateway, one trace and generation per call): the
 * item is queued and written off the hot path, in batches.
 */
export type RecordSink = { enqueue(item: PendingRecord): void };
