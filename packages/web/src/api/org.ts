import type { Org } from '@switchyard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from './client.js';

export const ORG_KEY = ['org'] as const;

/** The current org: its plan, the limits in force and the plan's above them, payloads, suspension. */
export function useOrg() {
  return useQuery({ queryKey: ORG_KEY, queryFn: ({ signal }) => api<Org>('/api/org', { signal }) });
}
