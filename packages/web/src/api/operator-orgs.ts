import { type OperatorOrg, type OperatorOrgPatch, operatorOrgSchema, pageSchema } from '@switchyard/shared';
import { request } from './client.js';

const operatorOrgPageSchema = pageSchema(operatorOrgSchema);
export type OperatorOrgPage = { data: OperatorOrg[]; nextCursor: string | null };

/** A page of every org of the server, newest first; `search` matches part of a name or slug. */
export function listOperatorOrgs(options: {
  search?: string;
  limit?: number;
  cursor?: string | null;
  signal?: AbortSignal;
}): Promise<OperatorOrgPage> {
  return request('/api/operator/orgs', {
    query: { search: options.search, limit: options.limit, cursor: options.cursor ?? undefined },
    signal: options.signal,
    schema: operatorOrgPageSchema,
  });
}

/** Changes an org's plan, limit overrides or suspension. */
export function updateOperatorOrg(id: string, patch: OperatorOrgPatch): Promise<OperatorOrg> {
  return request(`/api/operator/orgs/${id}`, { method: 'PATCH', body: patch, schema: operatorOrgSchema });
}
