import type { Role, Scope } from '@switchyard/shared';

/**
 * Who may call a route. Every `/api`, `/v1` and `/otel` route declares one (`config: { access }`),
 * and it is checked from the headers alone, before the body is read: a caller who is not allowed
 * gets 401 or 403 whatever they send, and their body is never parsed.
 */
export type Access =
  /** Anyone (sign-up, login). */
  | { kind: 'public' }
  /** An API key carrying `scope` (the gateway, ingest and OTLP endpoints). */
  | { kind: 'apiKey'; scope: Scope }
  /** A member of the org with at least `role`: their session, or a key with the `admin` scope. */
  | { kind: 'member'; role: Role }
  /** A signed-in person (no keys): their own account and orgs. */
  | { kind: 'session' }
  /** A signed-in instance operator (no keys): every org, plans, limits, server prices. */
  | { kind: 'operator' };

export const access = {
  public: { kind: 'public' },
  apiKey: (scope: Scope): Access => ({ kind: 'apiKey', scope }),
  member: (role: Role): Access => ({ kind: 'member', role }),
  session: { kind: 'session' },
  operator: { kind: 'operator' },
} as const satisfies Record<string, Access | ((argument: never) => Access)>;

/** One guarded route and who may call it: the table `docs/security.md` states and the role matrix tests. */
export type RouteAccess = { method: string; url: string; access: Access };
