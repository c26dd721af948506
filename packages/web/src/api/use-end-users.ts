import type { EndUserSort, TraceSort } from '@switchyard/shared';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { getEndUser, listEndUsers } from './end-users.js';
import { END_USER_KEY, END_USERS_KEY, TRACES_KEY } from './query-keys.js';
import { listTraces } from './traces.js';

const PAGE_SIZE = 50;

/** The Users list in `sort`'s order, a page at a time. */
export function useEndUsers(sort: EndUserSort) {
  return useInfiniteQuery({
    queryKey: [...END_USERS_KEY, sort],
    queryFn: ({ pageParam, signal }) => listEndUsers({ sort, limit: PAGE_SIZE, cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** One end user's totals. */
export function useEndUser(id: string) {
  return useQuery({ queryKey: [...END_USER_KEY, id], queryFn: ({ signal }) => getEndUser(id, { signal }) });
}

/** One end user's traces, a page at a time: the Requests list filtered by them. */
export function useEndUserTraces(options: { userId: string; sort: TraceSort }) {
  const { userId, sort } = options;
  return useInfiniteQuery({
    queryKey: [...TRACES_KEY, 'user', userId, sort],
    queryFn: ({ pageParam, signal }) =>
      listTraces({ filters: { userId }, sort, limit: PAGE_SIZE, cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}
