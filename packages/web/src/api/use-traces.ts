import type { TraceSort } from '@switchyard/shared';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { apiQueryOf, FILTERS } from '../lib/trace-filters.js';
import { ApiError } from './client.js';
import { TRACE_KEY, TRACES_KEY } from './query-keys.js';
import { getTrace, listTraces } from './traces.js';

const PAGE_SIZE = 50;
const NOT_YET_RETRIES = 8;

/**
 * The Requests list for the filters in the page's URL, a page at a time. The key holds the filters
 * as typed: a relative range ("last hour") is turned into a time when the page is fetched.
 */
export function useTraces(options: { params: URLSearchParams; sort: TraceSort }) {
  const { params, sort } = options;
  const filterKey = FILTERS.map((name) => params.get(name) ?? '').join('\u0000');
  return useInfiniteQuery({
    queryKey: [...TRACES_KEY, filterKey, sort],
    queryFn: ({ pageParam, signal }) =>
      listTraces({ filters: apiQueryOf(params), sort, limit: PAGE_SIZE, cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/**
 * One trace. Gateway calls are written a moment after they answer: a link followed straight from
 * the Playground or the live feed may arrive first, so a 404 is asked again for a few seconds.
 */
export function useTrace(id: string) {
  return useQuery({
    queryKey: [...TRACE_KEY, id],
    queryFn: ({ signal }) => getTrace(id, { signal }),
    retry: (count, error) => (error instanceof ApiError && error.status === 404 ? count < NOT_YET_RETRIES : count < 1),
    retryDelay: (count, error) => (error instanceof ApiError && error.status === 404 ? 1_000 : 500 * 2 ** count),
  });
}

/**
 * The org's newest traces, once: what the Overview's live activity shows before the live feed
 * brings anything (its own key, so a change of the Requests list's filters does not touch it).
 */
export function useRecentTraces(limit: number) {
  return useQuery({
    queryKey: [...TRACES_KEY, 'recent', limit],
    queryFn: ({ signal }) => listTraces({ filters: {}, sort: '-startTime', limit, cursor: null, signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** After a call that adds a trace (the Playground's): the Requests list is read again. */
export function useTracesChanged() {
  const queryClient = useQueryClient();
  return useCallback(() => queryClient.invalidateQueries({ queryKey: TRACES_KEY }), [queryClient]);
}
