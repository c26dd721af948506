import type { CreatedApiKey } from '@switchyard/shared';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { createKey, type KeyPage, listKeys, revokeKey } from './keys.js';
import { KEYS_KEY } from './query-keys.js';

/** Up to 200 of the org's keys, for names in charts and filters (the Keys page pages through all). */
export function useKeyLookup() {
  return useQuery({
    queryKey: [...KEYS_KEY, 'lookup'],
    queryFn: () => listKeys({ limit: 200 }),
    retry: false,
  });
}

/** Every key of the org, a page at a time (`fetchNextPage` while `hasNextPage`). */
export function useKeyPages() {
  return useInfiniteQuery({
    queryKey: [...KEYS_KEY, 'pages'],
    queryFn: ({ pageParam }) => listKeys({ cursor: pageParam }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/**
 * How many keys each person made in this org that still work (not revoked), read from every page of
 * `/api/keys`: removing someone revokes theirs, and the dialog says how many.
 */
export function useActiveKeysByCreator({ enabled }: { enabled: boolean }) {
  return useQuery({
    queryKey: [...KEYS_KEY, 'active-by-creator'],
    queryFn: async ({ signal }) => {
      const counts = new Map<string, number>();
      let cursor: string | null = null;
      do {
        const page: KeyPage = await listKeys({ limit: 200, cursor, signal });
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

/** Creates a key; `onCreated` gets it with its secret, before the lists are read again. */
export function useCreateKey(onCreated: (key: CreatedApiKey) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: unknown) => createKey(body),
    onSuccess: async (key) => {
      onCreated(key);
      await queryClient.invalidateQueries({ queryKey: KEYS_KEY });
    },
  });
}

/** Revokes a key and reads the lists again; resolves when both are done (for a confirm dialog). */
export function useRevokeKey() {
  const queryClient = useQueryClient();
  return async (id: string) => {
    await revokeKey(id);
    await queryClient.invalidateQueries({ queryKey: KEYS_KEY });
  };
}

/** After a key was made elsewhere (the Playground's): the key lists are read again. */
export function useKeysChanged() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: KEYS_KEY }), [queryClient]);
}
