import type { FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayCallScope } from '../gateway-call.js';
import { type JsonObject, NO_USAGE } from '../providers/provider.js';
import type { GatewayCall } from '../recording/call-recorder.js';
import { cacheKey, cachePolicy, type ResponseCache } from './response-cache.js';

/** What the cache keeps of an answer: who gave it and the provider's body. */
export type CachedAnswer = { provider: string; model: string; body: JsonObject };

/**
 * The cache's part in one gateway call: the stored answer, or what to do with the answer the call
 * will fetch upstream.
 */
export type CacheLookup =
  | {
      /** The stored answer; its headers are already set. */
      hit: CachedAnswer;
    }
  | {
      hit: undefined;
      /** The record's cache status for the upstream answer: MISS when the call goes through the cache. */
      missStatus: 'MISS' | undefined;
      /** Stores the upstream answer for later calls when the policy writes the cache; never fails the call. */
      remember(answer: CachedAnswer): void;
    };

/**
 * Reads the call's cache policy and, when it says `use`, the stored answer. Sets the
 * `x-switchyard-cache` header (and, on a hit, the provider and zero attempts) so every cached
 * endpoint answers the same way.
 */
export async function lookUpCache(options: {
  cache: ResponseCache;
  request: FastifyRequest;
  reply: FastifyReply;
  call: GatewayCallScope;
  endpoint: Extract<GatewayCall['endpoint'], 'chat.completions' | 'embeddings'>;
  body: JsonObject;
}): Promise<CacheLookup> {
  const { cache, request, reply, call } = options;
  const policy = cachePolicy(request.headers, call.plan);
  if (policy.mode === 'off') return { hit: undefined, missStatus: undefined, remember: () => {} };
  const key = cacheKey({ orgId: call.principal.orgId, endpoint: options.endpoint, body: options.body });
  if (policy.mode === 'use') {
    // An unreachable cache is a miss, not a failed call.
    const hit = (await cache.get(key).catch(() => undefined)) as CachedAnswer | undefined;
    if (hit) {
      reply
        .header('x-switchyard-cache', 'HIT')
        .header('x-switchyard-provider', hit.provider)
        .header('x-switchyard-attempts', '0');
      return { hit };
    }
  }
  reply.header('x-switchyard-cache', 'MISS');
  return {
    hit: undefined,
    missStatus: 'MISS',
    remember(answer) {
      cache
        .set(key, answer, policy.ttlMs)
        .catch((error) => request.log.warn({ err: error }, 'could not cache an answer'));
    },
  };
}

/** The record of a call answered from the cache: nothing was spent upstream, so no tokens or cost. */
export function cacheHitOutcome(options: { hit: CachedAnswer; output: unknown }) {
  return {
    provider: options.hit.provider,
    model: options.hit.model,
    status: 'success',
    statusCode: 200,
    usage: NO_USAGE,
    output: options.output,
    cacheStatus: 'HIT',
  } as const;
}
