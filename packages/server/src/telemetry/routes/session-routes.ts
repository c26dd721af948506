import {
  pageSchema,
  sessionDetailQuerySchema,
  sessionDetailSchema,
  sessionListQuerySchema,
  sessionSummarySchema,
} from '@switchyard/shared';
import { z } from 'zod';
import { access, principalOf } from '../../auth/index.js';
import type { Database } from '../../db/client.js';
import { API_ERRORS } from '../../http/error-responses.js';
import { notFound } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import { getSession, listSessions } from '../queries/session-queries.js';

const tags = ['telemetry'];

/** Sessions of the org's end users: any member (viewers too), or a key with the `admin` scope. */
export type SessionRoutesDeps = { db: Database };

export function registerSessionRoutes(app: ZodApp, deps: SessionRoutesDeps): void {
  const { db } = deps;

  app.get(
    '/api/sessions',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary:
          'Sessions (traces sharing a sessionId), most recently active first, with trace count, users, tokens, cost, errors and duration',
        querystring: sessionListQuerySchema,
        response: { 200: pageSchema(sessionSummarySchema), ...API_ERRORS },
      },
    },
    async (request) => listSessions(db, principalOf(request).orgId, request.query),
  );

  app.get(
    '/api/sessions/:id',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary: 'One session with its traces in the order they started, each with its input and output',
        params: z.object({ id: z.string().min(1).max(256) }),
        querystring: sessionDetailQuerySchema,
        response: { 200: sessionDetailSchema, ...API_ERRORS },
      },
    },
    async (request) => {
      const session = await getSession(db, principalOf(request).orgId, {
        sessionId: request.params.id,
        limit: request.query.limit,
        cursor: request.query.cursor,
      });
      if (!session) throw notFound('Session');
      return session;
    },
  );
}
