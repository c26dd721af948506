/**
 * The roots of the dashboard's query keys. A change invalidates a root (or a key under it), so
 * every hook that reads the same server data agrees on where it is cached.
 */
export const ME_KEY = ['me'] as const;
export const ORG_KEY = ['org'] as const;
export const KEYS_KEY = ['keys'] as const;
export const MEMBERS_KEY = ['members'] as const;
export const INVITATIONS_KEY = ['invitations'] as const;
export const ALERTS_KEY = ['alerts'] as const;
export const PROVIDERS_KEY = ['providers'] as const;
export const ROUTES_KEY = ['routes'] as const;
/** `GET /api/models`: what the org can send as `model`. */
export const MODELS_KEY = ['models'] as const;
/** `GET /v1/models` with the Playground key, per org. */
export const GATEWAY_MODELS_KEY = ['gateway-models'] as const;
export const USAGE_KEY = ['usage'] as const;
export const METRICS_KEY = ['metrics'] as const;
/** The Requests list; one trace's detail is under TRACE_KEY. */
export const TRACES_KEY = ['traces'] as const;
export const TRACE_KEY = ['trace'] as const;
/** The Sessions list (all, or one end user's); one session's turns are under SESSION_KEY. */
export const SESSIONS_KEY = ['sessions'] as const;
export const SESSION_KEY = ['session'] as const;
/** The Users list (the org's end users, not its members); one end user under END_USER_KEY. */
export const END_USERS_KEY = ['end-users'] as const;
export const END_USER_KEY = ['end-user'] as const;
export const OPERATOR_KEY = ['operator'] as const;
export const READY_KEY = ['ready'] as const;
