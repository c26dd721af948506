import type { FastifyRequest } from 'fastify';
import { bearerToken } from '../auth/index.js';
import { safeEqual, sha256Hex } from '../crypto/secrets.js';
import { HttpError } from '../http/http-error.js';

/**
 * Admits a scrape of `/metrics` only with `Authorization: Bearer <METRICS_TOKEN>`; throws 401 otherwise.
 * The digests are compared, so the time taken tells nothing of the token, not even its length.
 */
export function requireMetricsToken(request: FastifyRequest, token: string): void {
  const presented = bearerToken(request) ?? '';
  if (presented && safeEqual(sha256Hex(presented), sha256Hex(token))) return;
  throw new HttpError(401, {
    code: 'unauthorized',
    message: presented
      ? 'The metrics token is wrong'
      : '/metrics needs the metrics token: Authorization: Bearer <METRICS_TOKEN>',
    headers: { 'www-authenticate': 'Bearer realm="metrics"' },
  });
}
