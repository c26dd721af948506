import { z } from 'zod';
import { DEFAULT_FALLBACK_STATUSES, ROUTE_STRATEGIES } from './route-strategies.js';

export const routeTargetSchema = z.object({
  /** `provider/model`, e.g. `openai/gpt-4o-mini`. */
  model: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]*\/.+$/, 'must be "provider/model", e.g. "openai/gpt-4o-mini"')
    .max(200),
  /** Share of traffic under `loadbalance`. */
  weight: z.number().positive().max(1_000).default(1),
  /** Longest wait for this target's answer (until its first byte, for streams). */
  timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
});
export type RouteTarget = z.infer<typeof routeTargetSchema>;

export const routeCacheSchema = z.object({
  /** Answer identical requests from the cache (clients may still opt out with `x-switchyard-cache: off`). */
  enabled: z.boolean().default(false),
  ttlSeconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 24 * 3600)
    .default(3600),
});
export type RouteCache = z.infer<typeof routeCacheSchema>;

export const routeRetrySchema = z.object({
  /** Further tries of the same target after a retryable failure, before moving to the next. */
  attempts: z.number().int().min(0).max(5).default(0),
  initialBackoffMs: z.number().int().min(0).max(60_000).default(250),
  maxBackoffMs: z.number().int().min(0).max(60_000).default(5_000),
});
export type RouteRetry = z.infer<typeof routeRetrySchema>;

const aliasSchema = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'may hold letters, digits and . _ : - (no "/", which names a provider)');

export const routeBodySchema = z
  .object({
    alias: aliasSchema,
    strategy: z.enum(ROUTE_STRATEGIES).default('fallback'),
    targets: z.array(routeTargetSchema).min(1).max(10),
    retry: routeRetrySchema.default({ attempts: 0, initialBackoffMs: 250, maxBackoffMs: 5_000 }),
    /**
     * Further upstream statuses that move on to the next target; retryable failures (network errors,
     * timeouts, 408, 409, 429, 5xx) always do.
     */
    fallbackOn: z.array(z.number().int().min(400).max(599)).default([...DEFAULT_FALLBACK_STATUSES]),
    cache: routeCacheSchema.default({ enabled: false, ttlSeconds: 3600 }),
  })
  .refine((route) => route.strategy !== 'single' || route.targets.length === 1, {
    path: ['targets'],
    error: 'a "single" route has exactly one target',
  });
export type RouteBody = z.infer<typeof routeBodySchema>;

export const routeSchema = z.object({
  id: z.uuid(),
  alias: z.string(),
  strategy: z.enum(ROUTE_STRATEGIES),
  targets: z.array(routeTargetSchema),
  retry: routeRetrySchema,
  fallbackOn: z.array(z.number()),
  cache: routeCacheSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Route = z.infer<typeof routeSchema>;
