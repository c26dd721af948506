import { type Readiness, readinessSchema } from '@switchyard/shared';
import { request } from './client.js';

/** `GET /ready`: a 503 is an answer too, naming what is down. */
export function getReadiness(): Promise<Readiness> {
  return request('/ready', { schema: readinessSchema, acceptStatuses: [503] });
}
