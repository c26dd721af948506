import { type ApiKey, apiKeySchema, type CreatedApiKey, createdApiKeySchema, pageSchema } from '@switchyard/shared';
import { request } from './client.js';

const keyPageSchema = pageSchema(apiKeySchema);
export type KeyPage = { data: ApiKey[]; nextCursor: string | null };

/** A page of the org's keys, newest first. */
export function listKeys(
  options: { limit?: number; cursor?: string | null; signal?: AbortSignal } = {},
): Promise<KeyPage> {
  return request('/api/keys', {
    query: { limit: options.limit, cursor: options.cursor ?? undefined },
    signal: options.signal,
    schema: keyPageSchema,
  });
}

/**
 * Creates a key; its secret is in this answer only. The body is checked by the server, which
 * fills in what is left out (scopes, no limits).
 */
export function createKey(body: unknown): Promise<CreatedApiKey> {
  return request('/api/keys', { method: 'POST', body, schema: createdApiKeySchema });
}

/** Revokes a key: requests with it are refused from now on. */
export function revokeKey(id: string): Promise<ApiKey> {
  return request(`/api/keys/${id}`, { method: 'DELETE', schema: apiKeySchema });
}
