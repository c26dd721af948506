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
  input?: unknown;
  output?: unknown;
  metadata?: unknown;
};

export type RecordBatch = { traces: TraceRecord[]; observations: ObservationRecord[] };
