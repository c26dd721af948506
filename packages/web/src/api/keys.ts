import type { ApiKey } from '@switchyard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from './client.js';

export type KeyPage = { data: ApiKey[]; nextCursor: string | null };

/** Up to 200 of the org's keys, for names in charts and filters (the Keys page pages through all). */
export function useKeyLookup() {
  return useQuery({
    queryKey: ['keys', 'lookup'],
    queryFn: () => api<KeyPage>('/api/keys', { query: { limit: 200 } }),
    retry: false,
  });
}
