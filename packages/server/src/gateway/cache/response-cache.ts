import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { badRequest } from '../../http/http-error.js';
import type { Kv } from '../../kv/kv.js';
import { jsonObjectSchema, parseJson } from '../../parse-json.js';
import type { JsonObject } from '../providers/provider.js';
import type { RoutePlan } from '../routing/router.js';

export type CacheMode = 'off' | 'use' | 'refresh';
export type CachePolicy = { mode: CacheMode; ttlMs: number };

const DEFAULT_TTL_MS = 3600_000;
const CACHE_MODES = new Set(['use', 'refresh', 'off']);

/**
 * Whether a call reads and writes the cache: the client's `x-switchyard-cache` header (use |
 * refresh | off) wins; otherwise the route's setting; direct calls are not cached unless asked.
 */
export function cachePolicy(headers: IncomingHttpHeaders, plan: RoutePlan): CachePolicy {
  const header = headers['x-switchyard-cache'];
  const asked = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  if (asked !== undefined && !CACHE_MODES.has(asked))
    throw badRequest('x-switchyard-cache: must be "use", "refresh" or "off"', 'x-switchyard-cache');
  const ttlMs = plan.cache ? plan.cache.ttlSeconds * 1000 : DEFAULT_TTL_MS;
  if (asked) return { mode: asked as CacheMode, ttlMs };
  return { mode: plan.cache?.enabled ? 'use' : 'off', ttlMs };
}

/** JSON with object keys sorted, so equal requests serialize equally whatever their key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The cache key of a request: its org, endpoint and every parameter but the streaming ones, so a
 * streamed and an unstreamed request share an answer.
 */
export function cacheKey(options: { orgId: string; endpoint: string; body: JsonObject }): string {
  const { stream: _stream, stream_options: _streamOptions, ...request } = options.body;
  const digest = createHash('sha256')
    .update(canonicalJson({ endpoint: options.endpoint, request }))
    .digest('hex');
  return `cache:${options.orgId}:${digest}`;
}

export type ResponseCache = {
  get(key: string): Promise<JsonObject | undefined>;
  set(key: string, value: JsonObject, ttlMs: number): Promise<void>;
};

/** Redis-backed when the kv is Redis (shared by replicas); otherwise an in-process LRU bounded in bytes. */
export function createResponseCache(kv: Kv, options: { maxBytes?: number } = {}): ResponseCache {
  if (kv.kind === 'redis') {
    return {
      async get(key) {
        const text = await kv.get(key);
        return text ? parseJson({ text, schema: jsonObjectSchema }) : undefined;
      },
      async set(key, value, ttlMs) {
        await kv.set(key, JSON.stringify(value), { ttlMs });
      },
    };
  }
  return new MemoryLru(options.maxBytes ?? 64 * 1024 * 1024);
}

class MemoryLru implements ResponseCache {
  readonly #entries = new Map<string, { text: string; expiresAt: number }>();
  #bytes = 0;
  constructor(readonly maxBytes: number) {}

  async get(key: string): Promise<JsonObject | undefined> {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= Date.now()) {
      this.#bytes -= entry.text.length;
      return undefined;
    }
    // Re-inserted: Map order is recency order, oldest first.
    this.#entries.set(key, entry);
    return parseJson({ text: entry.text, schema: jsonObjectSchema });
  }

  async set(key: string, value: JsonObject, ttlMs: number): Promise<void> {
    const text = JSON.stringify(value);
    if (text.length > this.maxBytes) return;
    const previous = this.#entries.get(key);
    if (previous) {
      this.#bytes -= previous.text.length;
      this.#entries.delete(key);
    }
    this.#entries.set(key, { text, expiresAt: Date.now() + ttlMs });
    this.#bytes += text.length;
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.maxBytes) break;
      this.#entries.delete(oldest);
      this.#bytes -= entry.text.length;
    }
  }
}

/** A stored chat completion as the chunks of a stream: role, content, tool calls, finish, usage. */
export async function* replayAsChunks(completion: JsonObject): AsyncGenerator<JsonObject> {
  const base = {
    id: completion.id,
    object: 'chat.completion.chunk',
    created: completion.created,
    model: completion.model,
  };
  type StoredChoice = {
    index: number;
    message?: { role?: string; content?: string | null; tool_calls?: Array<Record<string, unknown>> };
    finish_reason?: string | null;
  };
  for (const choice of (completion.choices as StoredChoice[] | undefined) ?? []) {
    yield {
      ...base,
      choices: [
        { index: choice.index, delta: { role: choice.message?.role ?? 'assistant', content: '' }, finish_reason: null },
      ],
    };
    if (choice.message?.content)
      yield {
        ...base,
        choices: [{ index: choice.index, delta: { content: choice.message.content }, finish_reason: null }],
      };
    if (choice.message?.tool_calls?.length) {
      const toolCalls = choice.message.tool_calls.map((call, index) => ({ index, ...call }));
      yield { ...base, choices: [{ index: choice.index, delta: { tool_calls: toolCalls }, finish_reason: null }] };
    }
    yield { ...base, choices: [{ index: choice.index, delta: {}, finish_reason: choice.finish_reason ?? 'stop' }] };
  }
  if (completion.usage) yield { ...base, choices: [], usage: completion.usage };
}
