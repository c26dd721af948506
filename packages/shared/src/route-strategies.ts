// Plain constants, no zod: the dashboard imports these without loading the schema library.

/** How a route picks its targets: one, in order until one answers, or spread by weight. */
export const ROUTE_STRATEGIES = ['single', 'fallback', 'loadbalance'] as const;
export type RouteStrategy = (typeof ROUTE_STRATEGIES)[number];

/** The `fallbackOn` of a route that names none: retryable statuses, which move a call on in any case. */
export const DEFAULT_FALLBACK_STATUSES = [408, 409, 429, 500, 502, 503, 504] as const;
