import type { FastifyInstance } from 'fastify';
import { errorBody, shapeOfUrl } from './error-handler.js';
import { notFound } from './http-error.js';

const API_PREFIXES = ['/api/', '/v1/', '/otel/', '/docs'];

/**
 * Unknown API paths get a 404 in their wire shape; other browser paths get the dashboard, whose
 * client-side router owns URLs like /overview and /keys.
 */
export function registerNotFound(app: FastifyInstance): void {
  app.setNotFoundHandler(async (request, reply) => {
    const isApi = API_PREFIXES.some((prefix) => request.url.startsWith(prefix));
    const wantsPage =
      (request.method === 'GET' || request.method === 'HEAD') && (request.headers.accept ?? '').includes('text/html');
    if (!isApi && wantsPage && app.hasReplyDecorator('sendFile')) {
      return reply.type('text/html').sendFile('index.html');
    }
    const path = request.url.split('?')[0];
    return reply.code(404).send(errorBody(shapeOfUrl(request.url), notFound(`Route ${request.method} ${path}`)));
  });
}
