import { type UsageResponse, usageResponseSchema } from '@switchyard/shared';
import { request } from './client.js';

/** `GET /api/usage`: the org's plan, limits and spend, and each key's. */
export function getUsage(options: { signal?: AbortSignal } = {}): Promise<UsageResponse> {
  return request('/api/usage', { signal: options.signal, schema: usageResponseSchema });
}
