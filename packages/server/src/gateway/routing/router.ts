import { setTimeout as sleep } from 'node:timers/promises';
import { parseModelRef, type Route, type RouteCache, type RouteRetry, type RouteTarget } from '@switchyard/shared';
import { HttpError } from '../../http/http-error.js';
import type { ProviderResolver } from '../providers/org-providers.js';
import type { Provider } from '../providers/provider.js';
import { ProviderError } from '../providers/provider-error.js';
import type { RouteStore } from './route-store.js';

/** How long a direct `provider/model` call may wait for its answer (first byte, for streams). */
const DIRECT_TIMEOUT_MS = 300_000;
const NO_RETRY: RouteRetry = { attempts: 0, initialBackoffMs: 0, maxBackoffMs: 0 };

export type RoutePlan = {
  /** The name the client asked for: an alias or `provider/model`. */
  requested: string;
  alias: string | undefined;
  /** In the order they will be tried. */
  targets: RouteTarget[];
  retry: RouteRetry;
  fallbackOn: ReadonlySet<number>;
  /** The route's cache setting; direct calls cache only when the client asks. */
  cache: RouteCache | undefined;
};

/** One try of one target, kept with the call's record. */
export type Attempt = {
  model: string;
  provider: string;
  outcome: 'success' | 'error';
  status?: number;
  error?: string;
  latencyMs: number;
};

/** Every target failed (or one failed in a way no other target can fix). */
export class RoutingError extends Error {
  constructor(
    readonly last: unknown,
    readonly attempts: Attempt[],
  ) {
    super(last instanceof Error ? last.message : String(last), { cause: last });
    this.name = 'RoutingError';
  }
}

/** Weighted draw for the first target; the rest follow, heaviest first, as fallbacks. */
function loadBalanceOrder(targets: RouteTarget[], random: () => number): RouteTarget[] {
  const total = targets.reduce((sum, target) => sum + target.weight, 0);
  const draw = random() * total;
  let cumulative = 0;
  const first =
    targets.find((target) => {
      cumulative += target.weight;
      return draw < cumulative;
    }) ?? targets[targets.length - 1];
  const rest = targets.filter((target) => target !== first).sort((a, b) => b.weight - a.weight);
  return first ? [first, ...rest] : rest;
}

/** Turns the requested model into the targets to try: an org alias, or a direct `provider/model`. */
export async function planRoute(options: {
  requested: string;
  orgId: string;
  routes: RouteStore;
  random?: () => number;
}): Promise<RoutePlan> {
  const { requested } = options;
  const ref = parseModelRef(requested);
  const route: Route | undefined = 'alias' in ref ? await options.routes.find(options.orgId, ref.alias) : undefined;
  if (!route) {
    if ('alias' in ref) {
      throw new HttpError(404, {
        code: 'model_not_found',
        param: 'model',
        message: `model: "${requested}" is neither a route alias of this org nor "provider/model" (e.g. "mock/echo")`,
      });
    }
    return {
      requested,
      alias: undefined,
      targets: [{ model: requested, weight: 1, timeoutMs: DIRECT_TIMEOUT_MS }],
      retry: NO_RETRY,
      fallbackOn: new Set(),
      cache: undefined,
    };
  }
  const targets =
    route.strategy === 'loadbalance' ? loadBalanceOrder(route.targets, options.random ?? Math.random) : route.targets;
  return {
    requested,
    alias: route.alias,
    targets,
    retry: route.retry,
    fallbackOn: new Set(route.fallbackOn),
    cache: route.cache,
  };
}

/** Moves on (to a retry, then the next target) when another attempt may succeed, or the route falls back on the status. */
function shouldMoveOn(error: unknown, fallbackOn: ReadonlySet<number>): boolean {
  return error instanceof ProviderError && (error.isRetryable || fallbackOn.has(error.upstreamStatus));
}

/** The wait before retrying: the provider's `retry-after` when it gave one, else backoff with jitter. */
function backoffMs(error: unknown, retry: RouteRetry, retryIndex: number, random: () => number): number {
  const retryAfter = error instanceof ProviderError ? error.retryAfterSeconds : undefined;
  if (retryAfter !== undefined) return retryAfter * 1000;
  const ceiling = Math.min(retry.maxBackoffMs, retry.initialBackoffMs * 2 ** retryIndex);
  return ceiling / 2 + (random() * ceiling) / 2;
}

export type RunOptions<TValue> = {
  plan: RoutePlan;
  providers: ProviderResolver;
  /** The client's signal: when it aborts, no more attempts are made. */
  signal: AbortSignal;
  /** One attempt. For streams it resolves once the first chunk is in hand, so a stream falls back only before it. */
  call: (provider: Provider, upstreamModel: string, signal: AbortSignal) => Promise<TValue>;
  random?: () => number;
};

/**
 * Tries the plan's targets in order, each up to 1 + `retry.attempts` times, moving on after
 * retryable failures (`ProviderError.isRetryable`) and those with a status the route falls back on.
 * A failure that no other target would fix (a 400 about the request) ends the call at once.
 */
export async function runRoute<TValue>(
  options: RunOptions<TValue>,
): Promise<{ value: TValue; provider: Provider; target: RouteTarget; attempts: Attempt[] }> {
  const { plan, signal } = options;
  const random = options.random ?? Math.random;
  const attempts: Attempt[] = [];
  let lastError: unknown;
  for (const target of plan.targets) {
    const { provider, upstreamModel } = options.providers.resolve(target.model);
    for (let retryIndex = 0; retryIndex <= plan.retry.attempts; retryIndex++) {
      if (signal.aborted) throw new RoutingError(lastError ?? signal.reason, attempts);
      const started = performance.now();
      // One signal per attempt, ended by its timeout or by the client; it stays tied to the client for
      // the rest of a stream. (AbortSignal.any did the same at several times the cost per call.)
      const attempt = new AbortController();
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attempt.abort();
      }, target.timeoutMs);
      signal.addEventListener('abort', () => attempt.abort(signal.reason), { once: true });
      try {
        const value = await options.call(provider, upstreamModel, attempt.signal);
        attempts.push({
          model: target.model,
          provider: provider.name,
          outcome: 'success',
          latencyMs: performance.now() - started,
        });
        return { value, provider, target, attempts };
      } catch (caught) {
        const error =
          timedOut && !signal.aborted
            ? new ProviderError({
                provider: provider.name,
                upstreamStatus: 408,
                code: 'upstream_timeout',
                message: `${target.model} did not answer within ${target.timeoutMs} ms`,
                cause: caught,
              })
            : caught;
        lastError = error;
        attempts.push({
          model: target.model,
          provider: provider.name,
          outcome: 'error',
          status: error instanceof ProviderError ? error.upstreamStatus : undefined,
          error: error instanceof Error ? error.message : String(error),
          latencyMs: performance.now() - started,
        });
        if (signal.aborted || !shouldMoveOn(error, plan.fallbackOn)) throw new RoutingError(error, attempts);
        if (retryIndex === plan.retry.attempts) break;
        const wait = backoffMs(error, plan.retry, retryIndex, random);
        // A provider that asks for a longer pause than the route allows is skipped, not waited for.
        if (wait > plan.retry.maxBackoffMs) break;
        await sleep(wait, undefined, { signal }).catch(() => {});
      } finally {
        clearTimeout(timer);
      }
    }
  }
  throw new RoutingError(lastError, attempts);
}
