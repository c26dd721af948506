import type { OperatorOrg, OperatorOrgPatch } from '@switchyard/shared';
import { type InfiniteData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from './client.js';
import { ME_KEY, ORG_KEY } from './query-keys.js';

export type OperatorOrgPage = { data: OperatorOrg[]; nextCursor: string | null };

export const OPERATOR_KEY = ['operator'] as const;
const ORGS_KEY = [...OPERATOR_KEY, 'orgs'] as const;
const PAGE_SIZE = 50;

/** Every org of the server, newest first, a page at a time; `search` matches part of a name or slug. */
export function useOperatorOrgs(search: string) {
  return useInfiniteQuery({
    queryKey: [...ORGS_KEY, search],
    queryFn: ({ pageParam, signal }) =>
      api<OperatorOrgPage>('/api/operator/orgs', {
        query: { search: search || undefined, limit: PAGE_SIZE, cursor: pageParam ?? undefined },
        signal,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

function replaceOrg(data: InfiniteData<OperatorOrgPage> | undefined, updated: OperatorOrg) {
  if (!data) return data;
  const pages = data.pages.map((page) => ({
    ...page,
    data: page.data.map((org) => (org.id === updated.id ? updated : org)),
  }));
  return { ...data, pages };
}

/** Changes an org's plan, limit overrides or suspension; the row shows the server's answer at once. */
export function useUpdateOperatorOrg() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: OperatorOrgPatch }) =>
      api<OperatorOrg>(`/api/operator/orgs/${id}`, { method: 'PATCH', body: patch }),
    onSuccess: async (updated) => {
      queryClient.setQueriesData<InfiniteData<OperatorOrgPage>>({ queryKey: ORGS_KEY }, (data) =>
        replaceOrg(data, updated),
      );
      // The operator's own org may be the one changed: its banner, settings, usage and plan in the menu.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ORG_KEY }),
        queryClient.invalidateQueries({ queryKey: ['usage'] }),
        queryClient.invalidateQueries({ queryKey: ME_KEY }),
      ]);
    },
  });
}
