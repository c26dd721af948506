import {
  computeCostUsd,
  findPrice,
  type ModelPrice,
  type ObservationCreateBody,
  type ObservationUpdateBody,
  parseModelRef,
  type TraceCreateBody,
} from '@switchyard/shared';
import type { ObservationSource } from '../../db/telemetry-schema.js';
import type { ObservationRecord, TraceRecord } from '../records.js';

/**
 * How ingested events become rows: each event sets the fields it carries and leaves the others, so
 * a create and its updates can arrive in any order and a resent event changes nothing.
 */

const date = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects merge key by key (as Langfuse merges metadata); anything else replaces. */
function mergeMetadata(stored: unknown, incoming: unknown): unknown {
  if (incoming === undefined) return stored;
  return isPlainObject(stored) && isPlainObject(incoming) ? { ...stored, ...incoming } : incoming;
}

export function mergeTrace(options: {
  orgId: string;
  stored: TraceRecord | undefined;
  body: TraceCreateBody;
  receivedAt: Date;
}): TraceRecord {
  const { orgId, stored, body } = options;
  const tags = body.tags ? [...new Set([...(stored?.tags ?? []), ...body.tags])] : stored?.tags;
  return {
    orgId,
    id: body.id,
    name: body.name ?? stored?.name ?? null,
    sessionId: body.sessionId ?? stored?.sessionId ?? null,
    userId: body.userId ?? stored?.userId ?? null,
    tags: tags ?? [],
    metadata: mergeMetadata(stored?.metadata, body.metadata) ?? null,
    input: body.input === undefined ? (stored?.input ?? null) : body.input,
    output: body.output === undefined ? (stored?.output ?? null) : body.output,
    startTime: date(body.startTime) ?? stored?.startTime ?? options.receivedAt,
    endTime: date(body.endTime) ?? stored?.endTime ?? null,
  };
}

/** The trace an observation implies when its trace-create has not arrived (or never will). */
export function impliedTrace(observation: ObservationRecord): TraceRecord {
  return {
    orgId: observation.orgId,
    id: observation.traceId,
    name: null,
    sessionId: null,
    userId: null,
    tags: [],
    metadata: null,
    input: null,
    output: null,
    startTime: observation.startTime,
    endTime: null,
  };
}

type ObservationFields = ObservationCreateBody | ObservationUpdateBody;

/**
 * Applies one create or update to an observation. `stored` is undefined for a create with nothing
 * before it; an update needs a stored (or already created) observation, so it is never undefined then.
 */
export function mergeObservation(options: {
  orgId: string;
  stored: ObservationRecord | undefined;
  body: ObservationFields;
  source: ObservationSource;
  apiKeyId: string | null;
}): ObservationRecord {
  const { orgId, stored, body } = options;
  const status = body.status ?? (body.level === 'ERROR' ? 'error' : undefined);
  const startTime = date(body.startTime) ?? stored?.startTime ?? new Date(0);
  const endTime = date(body.endTime) ?? stored?.endTime ?? null;
  const completionStartTime = date(body.completionStartTime) ?? stored?.completionStartTime ?? null;
  // Every field spelled out (no spreads): this runs once per event, thousands of times per commit.
  return {
    orgId,
    id: body.id,
    traceId: body.traceId ?? stored?.traceId ?? '',
    parentId: body.parentId === undefined ? (stored?.parentId ?? null) : body.parentId,
    type: body.type ?? stored?.type ?? 'span',
    name: body.name ?? stored?.name ?? null,
    provider: body.provider ?? stored?.provider ?? null,
    model: body.model ?? stored?.model ?? null,
    startTime,
    endTime,
    completionStartTime,
    // Latency and time to first token follow from the times; they are never sent.
    latencyMs: endTime ? Math.max(0, endTime.getTime() - startTime.getTime()) : null,
    ttftMs: completionStartTime ? Math.max(0, completionStartTime.getTime() - startTime.getTime()) : null,
    inputTokens: body.usage?.inputTokens ?? stored?.inputTokens ?? 0,
    outputTokens: body.usage?.outputTokens ?? stored?.outputTokens ?? 0,
    cachedInputTokens: body.usage?.cachedInputTokens ?? stored?.cachedInputTokens ?? 0,
    costUsd: body.costUsd ?? stored?.costUsd ?? null,
    status: status ?? stored?.status ?? 'success',
    level: body.level ?? stored?.level ?? 'DEFAULT',
    statusCode: stored?.statusCode ?? null,
    error: body.statusMessage ?? stored?.error ?? null,
    cacheStatus: stored?.cacheStatus ?? null,
    attempts: stored?.attempts ?? 1,
    apiKeyId: stored ? (stored.apiKeyId ?? null) : options.apiKeyId,
    source: stored?.source ?? options.source,
    // Whether a gateway record counts this call is decided after the merge, from the whole trace.
    duplicateOf: stored?.duplicateOf ?? null,
    input: body.input === undefined ? (stored?.input ?? null) : body.input,
    output: body.output === undefined ? (stored?.output ?? null) : body.output,
    metadata: mergeMetadata(stored?.metadata, body.metadata) ?? null,
  };
}

/** True when an event changes what an observation's cost is computed from. */
export function changesPricedFields(body: ObservationFields): boolean {
  return body.usage !== undefined || body.model !== undefined || body.provider !== undefined || 'type' in body;
}

/**
 * The cost from the price table (the org's overrides first) for a generation that did not carry
 * one. A model given without its provider is looked up as `provider/model` when the provider is known.
 */
export function priceObservation(observation: ObservationRecord, prices: readonly ModelPrice[]): number | null {
  if (observation.type !== 'generation' || !observation.model) return null;
  const model =
    'provider' in parseModelRef(observation.model) || !observation.provider
      ? observation.model
      : `${observation.provider}/${observation.model}`;
  return computeCostUsd(findPrice(model, prices), {
    inputTokens: observation.inputTokens,
    outputTokens: observation.outputTokens,
    cachedInputTokens: observation.cachedInputTokens,
  });
}
