import {
  metricsQuerySchema,
  metricsResponseSchema,
  pageSchema,
  traceDetailSchema,
  traceListQuerySchema,
  traceSummarySchema,
} from '@switchyard/shared';
import { z } from 'zod';
import { access, principalOf } from '../../auth/index.js';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/client.js';
import { API_ERRORS } from '../../http/error-responses.js';
import { notFound } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import { queryMetrics } from '../queries/metrics-query.js';
import { getTrace, listTraces } from '../queries/trace-queries.js';

const tags = ['telemetry'];

/** Reading what was recorded: any member of the org (viewers too), or a key with the `admin` scope. */
export type QueryRoutesDeps = { db: Database; clock: Clock };

export function registerQueryRoutes(app: ZodApp, deps: QueryRoutesDeps): void {
  const { db, clock } = deps;

  app.get(
    '/api/traces',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary:
          'Traces, newest first, with their totals; filter by time, model, provider, status, user, session, tag, key, cost, latency',
        querystring: traceListQuerySchema,
        response: { 200: pageSchema(traceSummarySchema), ...API_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return listTraces(db, principal.orgId, request.query);
    },
  );

  app.get(
    '/api/traces/:id',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary: 'One trace with its observations (each with parentId, so the tree is one call) and scores',
        params: z.object({ id: z.string().min(1).max(256) }),
        response: { 200: traceDetailSchema, ...API_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const trace = await getTrace(db, principal.orgId, request.params.id);
      if (!trace) throw notFound('Trace');
      return trace;
    },
  );

  app.get(
    '/api/metrics',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary:
          'Requests, errors, tokens, cost and latency p50/p95/p99 per minute, hour or day, optionally by provider, model, key or source',
        description:
          'Hours and days are served from rollups of every generation (gateway calls, ingested and OTLP ones), so their ranges align to whole hours; minutes are counted from the calls themselves, for ranges up to 6 hours.',
        querystring: metricsQuerySchema,
        response: { 200: metricsResponseSchema, ...API_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return queryMetrics(db, principal.orgId, request.query, new Date(clock.now()));
    },
  );
}
