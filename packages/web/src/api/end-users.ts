import { type EndUserSort, type EndUserSummary, endUserSummarySchema, pageSchema } from '@switchyard/shared';
import { request } from './client.js';

const endUserPageSchema = pageSchema(endUserSummarySchema);
export type EndUserPage = { data: EndUserSummary[]; nextCursor: string | null };

/** A page of the org's end users, in `sort`'s order (`GET /api/users`). */
export function listEndUsers(options: {
  sort: EndUserSort;
  limit: number;
  cursor: string | null;
  signal?: AbortSignal;
}): Promise<EndUserPage> {
  return request('/api/users', {
    query: { sort: options.sort, limit: options.limit, cursor: options.cursor },
    signal: options.signal,
    schema: endUserPageSchema,
  });
}

/** One end user's totals (`GET /api/users/:id`). */
export function getEndUser(id: string, options: { signal?: AbortSignal } = {}): Promise<EndUserSummary> {
  return request(`/api/users/${encodeURIComponent(id)}`, { signal: options.signal, schema: endUserSummarySchema });
}
