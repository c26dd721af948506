import { type MetricsQuery, type MetricsResponse, metricsResponseSchema } from '@switchyard/shared';
import { request } from './client.js';

/** `GET /api/metrics`: totals and points per bucket (and group) of the org's calls in a range. */
export function getMetrics(query: MetricsQuery, options: { signal?: AbortSignal } = {}): Promise<MetricsResponse> {
  return request('/api/metrics', { query, signal: options.signal, schema: metricsResponseSchema });
}
