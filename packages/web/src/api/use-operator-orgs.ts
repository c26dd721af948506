import type { OperatorOrg, OperatorOrgPatch } from '@switchyard/shared';
import { type InfiniteData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { listOperatorOrgs, type OperatorOrgPage, updateOperatorOrg } from './operator-orgs.js';
import { ME_KEY, OPERATOR_KEY, ORG_KEY, USAGE_KEY } from './query-keys.js';

const ORGS_KEY = [...OPERATOR_KEY, 'orgs'] as const;
const PAGE_SIZE = 50;

/** Every org of the server, newest first, a page at a time; `search` matches part of a name or slug. */
export function useOperatorOrgs(search: string) {
  return useInfiniteQuery({
    queryKey: [...ORGS_KEY, search],
    queryFn: ({ pageParam, signal }) =>
      listOperatorOrgs({ search: search || undefined, limit: PAGE_SIZE, cursor: pageParam, signal }),
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
    mutationFn: ({ id, patch }: { id: string; patch: OperatorOrgPatch }) => updateOperatorOrg(id, patch),
    onSuccess: async (updated) => {
      queryClient.setQueriesData<InfiniteData<OperatorOrgPage>>({ queryKey: ORGS_KEY }, (data) =>
        replaceOrg(data, updated),
      );
      // The operator's own org may be the one changed: its banner, settings, usage and plan in the menu.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ORG_KEY }),
        queryClient.invalidateQueries({ queryKey: USAGE_KEY }),
        queryClient.invalidateQueries({ queryKey: ME_KEY }),
      ]);
    },
  });
}
