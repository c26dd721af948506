import { type OrgModelList, orgModelListSchema } from '@switchyard/shared';
import { request } from './client.js';

/** `GET /api/models`: the org's route aliases and the models of the server's providers. */
export function listOrgModels(): Promise<OrgModelList> {
  return request('/api/models', { schema: orgModelListSchema });
}
