import { DEFAULT_FALLBACK_STATUSES, type Route, type RouteBody } from '@switchyard/shared';

// Numbers stay text while they are typed (an emptied field is not 0); they become numbers on submit.
export type TargetDraft = { id: number; model: string; weight: string; timeoutMs: string };

export type RouteDraft = {
  alias: string;
  strategy: RouteBody['strategy'];
  targets: TargetDraft[];
  retryAttempts: string;
  initialBackoffMs: string;
  maxBackoffMs: string;
  fallbackOn: string;
  cacheEnabled: boolean;
  cacheTtlSeconds: string;
};

let nextTargetId = 0;

export function newTargetDraft(model = ''): TargetDraft {
  nextTargetId += 1;
  return { id: nextTargetId, model, weight: '1', timeoutMs: '60000' };
}

export function draftFromRoute(route: Route | null): RouteDraft {
  if (!route) {
    return {
      alias: '',
      strategy: 'fallback',
      targets: [newTargetDraft()],
      retryAttempts: '0',
      initialBackoffMs: '250',
      maxBackoffMs: '5000',
      fallbackOn: DEFAULT_FALLBACK_STATUSES.join(', '),
      cacheEnabled: false,
      cacheTtlSeconds: '3600',
    };
  }
  return {
    alias: route.alias,
    strategy: route.strategy,
    targets: route.targets.map((target) => ({
      ...newTargetDraft(target.model),
      weight: String(target.weight),
      timeoutMs: String(target.timeoutMs),
    })),
    retryAttempts: String(route.retry.attempts),
    initialBackoffMs: String(route.retry.initialBackoffMs),
    maxBackoffMs: String(route.retry.maxBackoffMs),
    fallbackOn: route.fallbackOn.join(', '),
    cacheEnabled: route.cache.enabled,
    cacheTtlSeconds: String(route.cache.ttlSeconds),
  };
}

export function bodyFromDraft(draft: RouteDraft): RouteBody {
  return {
    alias: draft.alias.trim(),
    strategy: draft.strategy,
    targets: draft.targets.map((target) => ({
      model: target.model.trim(),
      weight: Number(target.weight),
      timeoutMs: Number(target.timeoutMs),
    })),
    retry: {
      attempts: Number(draft.retryAttempts),
      initialBackoffMs: Number(draft.initialBackoffMs),
      maxBackoffMs: Number(draft.maxBackoffMs),
    },
    fallbackOn: draft.fallbackOn
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number),
    cache: { enabled: draft.cacheEnabled, ttlSeconds: Number(draft.cacheTtlSeconds) },
  };
}
