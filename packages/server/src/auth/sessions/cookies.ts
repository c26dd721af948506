import type { FastifyReply, FastifyRequest } from 'fastify';
import { CSRF_COOKIE, SESSION_COOKIE } from './sessions.js';

function isSecure(request: FastifyRequest, publicUrl: string | undefined): boolean {
  return request.protocol === 'https' || Boolean(publicUrl?.startsWith('https://'));
}

/** The session cookie (httpOnly) and its CSRF companion (readable by the dashboard's script). */
export function setSessionCookies(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { token: string; csrfToken: string; expiresAt: Date; publicUrl: string | undefined },
): void {
  const common = {
    path: '/',
    sameSite: 'lax' as const,
    secure: isSecure(request, options.publicUrl),
    expires: options.expiresAt,
  };
  reply.setCookie(SESSION_COOKIE, options.token, { ...common, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, options.csrfToken, { ...common, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
