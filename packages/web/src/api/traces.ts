import {
  pageSchema,
  type TraceDetail,
  type TraceSort,
  type TraceSummary,
  traceDetailSchema,
  traceSummarySchema,
} from '@switchyard/shared';
import { request } from './client.js';

const tracePageSchema = pageSchema(traceSummarySchema);
export type TracePage = { data: TraceSummary[]; nextCursor: string | null };

/** A page of the org's traces that match every filter given (`GET /api/traces`). */
export function listTraces(options: {
  filters: Record<string, string | undefined>;
  sort: TraceSort;
  limit: number;
  cursor: string | null;
  signal?: AbortSignal;
}): Promise<TracePage> {
  return request('/api/traces', {
    query: { ...options.filters, sort: options.sort, limit: options.limit, cursor: options.cursor ?? undefined },
    signal: options.signal,
    schema: tracePageSchema,
  });
}

/** One trace with its observations and scores. */
export function getTrace(id: string, options: { signal?: AbortSignal } = {}): Promise<TraceDetail> {
  return request(`/api/traces/${encodeURIComponent(id)}`, { signal: options.signal, schema: traceDetailSchema });
}
