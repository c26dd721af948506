import { type Org, type OrgLimits, orgSchema } from '@switchyard/shared';
import { request } from './client.js';

/** `PATCH /api/org`: only what changes; a limit of null follows the plan again. */
export type OrgChanges = { name?: string; logPayloads?: boolean; limits?: Partial<OrgLimits> };

/** The current org: its plan, the limits in force and the plan's above them, payloads, suspension. */
export function getOrg(options: { signal?: AbortSignal } = {}): Promise<Org> {
  return request('/api/org', { signal: options.signal, schema: orgSchema });
}

/** Changes the current org's name, payload logging or its own limits (admins). */
export function updateOrg(changes: OrgChanges): Promise<Org> {
  return request('/api/org', { method: 'PATCH', body: changes, schema: orgSchema });
}

/** Creates another org, owned by the signed-in user. */
export function createOrg(name: string): Promise<Org> {
  return request('/api/orgs', { method: 'POST', body: { name }, schema: orgSchema });
}
