import type { AlertRuleBody, AlertRulePatch } from '@switchyard/shared';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import {
  createAlertRule,
  deleteAlertRule,
  listAlertEvents,
  listAlertRules,
  testAlertRule,
  updateAlertRule,
} from './alerts.js';
import { ALERTS_KEY } from './query-keys.js';

const RULES_KEY = [...ALERTS_KEY, 'rules'] as const;
const eventsKey = (ruleId: string) => [...ALERTS_KEY, 'events', ruleId] as const;

// The server evaluates rules on its own schedule: re-read states while the page is open.
const RULES_REFRESH_MS = 30_000;
const EVENTS_PAGE_SIZE = 10;

/** The org's alert rules, a page at a time (`fetchNextPage` while `hasNextPage`). */
export function useAlertRules() {
  return useInfiniteQuery({
    queryKey: RULES_KEY,
    queryFn: ({ pageParam, signal }) => listAlertRules({ cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: RULES_REFRESH_MS,
  });
}

/** One rule's notifications, newest first. */
export function useAlertEvents(ruleId: string) {
  return useInfiniteQuery({
    queryKey: eventsKey(ruleId),
    queryFn: ({ pageParam, signal }) => listAlertEvents(ruleId, { limit: EVENTS_PAGE_SIZE, cursor: pageParam, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** Creates a rule, or changes one (`id`): a patch replaces the condition whole. */
export function useSaveAlertRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (change: { id: undefined; body: AlertRuleBody } | { id: string; body: AlertRulePatch }) =>
      change.id === undefined ? createAlertRule(change.body) : updateAlertRule(change.id, change.body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: RULES_KEY }),
  });
}

export function useDeleteAlertRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteAlertRule(id),
    onSuccess: async (_result, id) => {
      queryClient.removeQueries({ queryKey: eventsKey(id) });
      await queryClient.invalidateQueries({ queryKey: RULES_KEY });
    },
  });
}

/** Sends a test message to the rule's webhook now; answers with the event it recorded. */
export function useTestAlertRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => testAlertRule(id),
    onSettled: async (_event, _error, id) => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: eventsKey(id) }),
        queryClient.invalidateQueries({ queryKey: RULES_KEY }),
      ]);
    },
  });
}
