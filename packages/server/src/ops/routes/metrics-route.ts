import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { errorResponses } from '../../http/error-responses.js';
import { requireMetricsToken } from '../metrics-token.js';

/** With `token` (METRICS_TOKEN), `/metrics` answers only a scraper that presents it. */
export type MetricsRouteDeps = { registry: Registry; token: string | undefined };

/** Takes a plain app: the answer is Prometheus text, not JSON for zod to serialize. */
export function registerMetricsRoute(app: FastifyInstance, deps: MetricsRouteDeps): void {
  const { registry, token } = deps;
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        description: 'Open, unless METRICS_TOKEN is set: then only with `Authorization: Bearer <METRICS_TOKEN>`.',
        response: errorResponses({ shape: 'api', statuses: [401] }),
      },
    },
    async (request, reply) => {
      if (token) requireMetricsToken(request, token);
      reply.type(registry.contentType);
      return registry.metrics();
    },
  );
}
