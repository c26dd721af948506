import {
  KEY_ROLE_CEILING,
  lesserRole,
  ROLE_SCOPES,
  type Role,
  roleAtLeast,
  SCOPES,
  type Scope,
} from '@switchyard/shared';
import type { FastifyRequest } from 'fastify';
import type { Clock } from '../clock.js';
import { safeEqual } from '../crypto/secrets.js';
import type { Database } from '../db/client.js';
import { forbidden, unauthorized } from '../http/http-error.js';
import type { Access } from './access.js';
import type { ApiKeyResolver, ResolvedApiKey } from './keys/key-resolver.js';
import type { LastUsedTracker } from './keys/last-used-tracker.js';
import { findMembership } from './members.js';
import { listOrgsOfUser } from './orgs.js';
import { CSRF_HEADER, csrfTokenFor, resolveSession, SESSION_COOKIE, setActiveOrg } from './sessions/sessions.js';

export type SessionPrincipal = {
  kind: 'session';
  userId: string;
  email: string;
  name: string | null;
  isOperator: boolean;
  orgId: string;
  role: Role;
  /** The active org is suspended by the operator: its members may read, not change. */
  orgSuspended: boolean;
  /** The active org's calls may use the server-wide provider keys (SHARED_PROVIDERS, or the operator's mark). */
  serverProviders: boolean;
  sessionToken: string;
  sessionTokenHash: string;
};
export type ApiKeyPrincipal = {
  kind: 'apiKey';
  key: ResolvedApiKey;
  orgId: string;
  /** On /api: the lesser of `admin` and its creator's current role. */
  role: Role;
  /** Whose authority the key carries; null for keys made with the CLI. */
  userId: string | null;
  /** The key's calls may use the server-wide provider keys (SHARED_PROVIDERS, or the operator's mark). */
  serverProviders: boolean;
};
export type Principal = SessionPrincipal | ApiKeyPrincipal;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The token of `Authorization: Bearer <token>`, if the request sent one. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  return authorization?.toLowerCase().startsWith('bearer ') ? authorization.slice(7).trim() : undefined;
}

/** The key a client presented: `Authorization: Bearer <key>` or the Anthropic SDK's `x-api-key`. */
export function presentedApiKey(request: FastifyRequest): string | undefined {
  const bearer = bearerToken(request);
  if (bearer !== undefined) return bearer;
  const header = request.headers['x-api-key'];
  return typeof header === 'string' ? header.trim() : undefined;
}

export class Authenticator {
  readonly #db: Database;
  readonly #resolver: ApiKeyResolver;
  readonly #tracker: LastUsedTracker;
  readonly #clock: Clock;
  readonly #secretKey: string;
  readonly #sharedProviders: 'first' | 'all';

  constructor(options: {
    db: Database;
    resolver: ApiKeyResolver;
    tracker: LastUsedTracker;
    clock: Clock;
    secretKey: string;
    /** SHARED_PROVIDERS: `all` lets every org use the server-wide provider keys, `first` the marked ones. */
    sharedProviders: 'first' | 'all';
  }) {
    this.#db = options.db;
    this.#resolver = options.resolver;
    this.#tracker = options.tracker;
    this.#clock = options.clock;
    this.#secretKey = options.secretKey;
    this.#sharedProviders = options.sharedProviders;
  }

  /** What a route's declared access asks for, from the headers alone (the body is not read yet). */
  async authorize(request: FastifyRequest, access: Exclude<Access, { kind: 'public' }>): Promise<Principal> {
    if (access.kind === 'apiKey') return this.apiKey(request, access.scope);
    if (access.kind === 'member') return this.member(request, access.role);
    if (!request.cookies[SESSION_COOKIE] && presentedApiKey(request)) {
      throw forbidden('This is for a signed-in person; API keys cannot call it', 'session_required');
    }
    const session = await this.session(request);
    if (access.kind === 'operator' && !session.isOperator) {
      throw forbidden("This is the server operator's area; you are not an operator", 'operator_only');
    }
    return session;
  }

  /**
   * For `/v1/*`: a live API key carrying `scope`. A key holds only what its creator's current role
   * allows: demoting them narrows it, removing them from the org stops it.
   */
  async apiKey(request: FastifyRequest, scope: Scope): Promise<ApiKeyPrincipal> {
    const secret = presentedApiKey(request);
    if (!secret) {
      throw unauthorized(
        'Missing API key: send "Authorization: Bearer sy-..." or "x-api-key: sy-..."',
        'missing_api_key',
      );
    }
    const key = await this.#resolver.resolve(secret);
    if (!key) throw unauthorized('Invalid API key: it is unknown, revoked or expired', 'invalid_api_key');
    const { authority } = key;
    if (authority.kind === 'former-member') {
      throw unauthorized(
        'This API key no longer works: whoever created it is no longer a member of the org',
        'key_creator_removed',
      );
    }
    if (key.orgSuspension) throw orgSuspended(key.orgSuspension.reason);
    const allowed = authority.kind === 'operator' ? SCOPES : ROLE_SCOPES[authority.role];
    if (!key.scopes.includes(scope)) {
      throw forbidden(`This API key lacks the "${scope}" scope`, 'insufficient_scope');
    }
    if (!allowed.includes(scope) && authority.kind === 'member') {
      throw forbidden(
        `This API key's "${scope}" scope no longer applies: whoever created it is now ${authority.role} of the org`,
        'insufficient_scope',
      );
    }
    this.#tracker.touch(key.id, this.#clock.now());
    return {
      kind: 'apiKey',
      key,
      orgId: key.orgId,
      role: authority.kind === 'operator' ? KEY_ROLE_CEILING : lesserRole(KEY_ROLE_CEILING, authority.role),
      userId: authority.kind === 'operator' ? null : authority.userId,
      serverProviders: this.#sharedProviders === 'all' || key.orgServerProviders,
    };
  }

  /**
   * For `/api/*`: a session cookie (with the CSRF header on mutations) or an API key with the
   * `admin` scope, whose role in the org is at least `minRole`. A suspended org's members may read.
   */
  async member(request: FastifyRequest, minRole: Role): Promise<Principal> {
    const principal = presentedApiKey(request) ? await this.apiKey(request, 'admin') : await this.session(request);
    if (!roleAtLeast(principal.role, minRole)) {
      throw forbidden(`This needs the ${minRole} role or higher; you are ${principal.role}`, 'insufficient_role');
    }
    if (principal.kind === 'session' && principal.orgSuspended && !SAFE_METHODS.has(request.method)) {
      throw orgSuspended(null);
    }
    return principal;
  }

  /** The signed-in user, with the org they are looking at. */
  async session(request: FastifyRequest, options: { csrf?: boolean } = {}): Promise<SessionPrincipal> {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) throw unauthorized('Not signed in', 'not_authenticated');
    const session = await resolveSession(this.#db, token, this.#clock.now());
    if (!session) throw unauthorized('Your session has expired; sign in again', 'session_expired');
    if ((options.csrf ?? true) && !SAFE_METHODS.has(request.method)) {
      const presented = request.headers[CSRF_HEADER];
      if (typeof presented !== 'string' || !safeEqual(presented, csrfTokenFor(this.#secretKey, token))) {
        throw forbidden(`Missing or wrong ${CSRF_HEADER} header (take it from GET /api/me)`, 'csrf_failed');
      }
    }
    const membership = session.activeOrgId
      ? await findMembership(this.#db, session.activeOrgId, session.userId)
      : undefined;
    let active = membership && {
      orgId: membership.orgId,
      role: membership.role,
      suspended: membership.orgSuspended,
      serverProviders: membership.orgServerProviders,
    };
    if (!active) {
      // The active org is gone (or the user was removed from it): fall back to their first org.
      const [first] = await listOrgsOfUser(this.#db, session.userId);
      if (!first) throw forbidden('You are not a member of any organization', 'no_organization');
      active = {
        orgId: first.id,
        role: first.role,
        suspended: first.suspendedAt !== null,
        serverProviders: first.serverProviders,
      };
      await setActiveOrg(this.#db, session.tokenHash, active.orgId);
    }
    return {
      kind: 'session',
      userId: session.userId,
      email: session.email,
      name: session.name,
      isOperator: session.isOperator,
      orgId: active.orgId,
      role: active.role,
      orgSuspended: active.suspended,
      serverProviders: this.#sharedProviders === 'all' || active.serverProviders,
      sessionToken: token,
      sessionTokenHash: session.tokenHash,
    };
  }

  csrfToken(sessionToken: string): string {
    return csrfTokenFor(this.#secretKey, sessionToken);
  }
}

function orgSuspended(reason: string | null) {
  return forbidden(
    `This org is suspended by the server's operator${reason ? `: ${reason}` : ''}; its members can still read, not change or call`,
    'org_suspended',
  );
}
