import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Access, RouteAccess } from './access.js';
import type { ApiKeyPrincipal, Authenticator, Principal, SessionPrincipal } from './authenticator.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    /** Who is calling, set before the body is read on every route that declares its access. */
    principal: Principal | undefined;
  }
  interface FastifyInstance {
    /** Every guarded route with its declared access, in registration order. */
    routeAccess: RouteAccess[];
  }
}

/** The URL prefixes whose routes must each declare their access. */
const GUARDED_PREFIXES = ['/api/', '/v1/', '/otel/'];

function isGuardedUrl(url: string): boolean {
  return GUARDED_PREFIXES.some((prefix) => url.startsWith(prefix));
}

/**
 * Authenticates each request from its headers before its body is read, by the route's declared
 * access; a guarded route that declares none is refused at start-up, so none can be forgotten.
 */
export function registerAccessControl(app: FastifyInstance, authenticator: Authenticator): void {
  app.decorateRequest('principal', undefined);
  const table: RouteAccess[] = [];
  app.decorate('routeAccess', table);
  app.addHook('onRoute', (route) => {
    if (!isGuardedUrl(route.url)) return;
    const declared = (route.config as { access?: Access } | undefined)?.access;
    if (!declared) throw new Error(`${route.method} ${route.url} declares no access`);
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') table.push({ method, url: route.url, access: declared });
    }
  });
  app.addHook('onRequest', async (request, reply) => {
    const declared = request.routeOptions.config.access;
    if (!declared || declared.kind === 'public') return;
    try {
      request.principal = await authenticator.authorize(request, declared);
    } catch (error) {
      // The body is never read: ending the connection spares receiving the rest of it.
      if (hasBody(request)) reply.header('connection', 'close');
      throw error;
    }
  });
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return (length !== undefined && length !== '0') || request.headers['transfer-encoding'] !== undefined;
}

function missing(request: FastifyRequest, wanted: string): Error {
  return new Error(`${request.method} ${request.routeOptions.url} reads a ${wanted} it does not declare`);
}

/** The caller of a `member` route: a session or an API key, acting in one org with one role. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw missing(request, 'principal');
  return request.principal;
}

/** The caller of a `session` or `operator` route. */
export function sessionOf(request: FastifyRequest): SessionPrincipal {
  if (request.principal?.kind !== 'session') throw missing(request, 'session');
  return request.principal;
}

/** The caller of an `apiKey` route. */
export function apiKeyOf(request: FastifyRequest): ApiKeyPrincipal {
  if (request.principal?.kind !== 'apiKey') throw missing(request, 'API key');
  return request.principal;
}
