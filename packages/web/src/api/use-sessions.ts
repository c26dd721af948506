import { useInfiniteQuery } from '@tanstack/react-query';
import { SESSION_KEY, SESSIONS_KEY } from './query-keys.js';
import { getSession, listSessions } from './sessions.js';

const PAGE_SIZE = 50;
/** Turns carry their input and output: fewer to a page than list rows. */
const TURNS_PER_PAGE = 25;

/** The Sessions list (or one end user's sessions), a page at a time. */
export function useSessions(options: { userId?: string } = {}) {
  return useInfiniteQuery({
    queryKey: [...SESSIONS_KEY, options.userId ?? ''],
    queryFn: ({ pageParam, signal }) =>
      listSessions({ userId: options.userId, limit: PAGE_SIZE, cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** One session: its totals, and its traces in order, a page of turns at a time. */
export function useSession(id: string) {
  return useInfiniteQuery({
    queryKey: [...SESSION_KEY, id],
    queryFn: ({ pageParam, signal }) => getSession(id, { limit: TURNS_PER_PAGE, cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}
