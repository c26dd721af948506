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

/**
 * How many keys each person made in this org that still work (not revoked), read from every page of
 * `/api/keys`: removing someone revokes theirs, and the dialog says how many.
 */
export function useActiveKeysByCreator({ enabled }: { enabled: boolean }) {
  return useQuery({
    queryKey: ['keys', 'active-by-creator'],
    queryFn: async ({ signal }) => {
      const counts = new Map<string, number>();
      let cursor: string | null = null;
      do {
        const page: KeyPage = await api<KeyPage>('/api/keys', {
          query: { limit: 200, cursor: cursor ?? undefined },
          signal,
        });
        for (const key of page.data) {
          if (key.createdBy && !key.revokedAt) counts.set(key.createdBy, (counts.get(key.createdBy) ?? 0) + 1);
        }
        cursor = page.nextCursor;
      } while (cursor);
      return counts;
    },
    enabled,
  });
}
