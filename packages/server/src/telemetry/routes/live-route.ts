import { access, principalOf } from '../../auth/index.js';
import { errorResponses } from '../../http/error-responses.js';
import type { ZodApp } from '../../http/zod-app.js';
import type { LiveFeed } from '../live-feed.js';

const HEARTBEAT_MS = 15_000;

/**
 * `GET /api/live`: server-sent events for the dashboard. After `ready`, each commit of the caller's
 * org arrives as a `records` event (a `LiveUpdate`), from whichever replica wrote it.
 */
export type LiveRouteDeps = { liveFeed: LiveFeed };

export function registerLiveRoute(app: ZodApp, deps: LiveRouteDeps): void {
  const { liveFeed } = deps;
  const open = new Set<() => void>();
  // An event stream never goes idle, so shutdown ends them instead of waiting.
  app.addHook('preClose', async () => {
    for (const end of open) end();
  });

  app.get(
    '/api/live',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags: ['telemetry'],
        summary: 'Server-sent events: a `records` event after each commit of this org’s telemetry',
        description:
          'Each `records` event carries the commit’s totals (observations, generations, errors, tokens, cost) and its newest observations. A comment line every 15 s keeps proxies from closing the stream.',
        response: errorResponses({ shape: 'api', statuses: [401, 403] }),
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      reply.hijack();
      const stream = reply.raw;
      stream.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx and similar proxies would otherwise hold events back.
        'x-accel-buffering': 'no',
        'x-switchyard-request-id': request.id,
      });
      stream.write(`event: ready\ndata: ${JSON.stringify({ orgId: principal.orgId })}\n\n`);
      const stopListening = liveFeed.listen(principal.orgId, (update) => {
        stream.write(`event: records\ndata: ${JSON.stringify(update)}\n\n`);
      });
      const heartbeat = setInterval(() => stream.write(': keep-alive\n\n'), HEARTBEAT_MS);
      heartbeat.unref();
      const end = () => {
        clearInterval(heartbeat);
        stopListening();
        open.delete(end);
        if (!stream.writableEnded) stream.end();
      };
      open.add(end);
      request.raw.on('close', end);
    },
  );
}
