import { endUserListQuerySchema, endUserSummarySchema, pageSchema } from '@switchyard/shared';
import { z } from 'zod';
import { access, principalOf } from '../../auth/index.js';
import type { Database } from '../../db/client.js';
import { API_ERRORS } from '../../http/error-responses.js';
import { notFound } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import { getEndUser, listEndUsers } from '../queries/end-user-queries.js';

const tags = ['telemetry'];

/**
 * The org's end users (the `userId` of its traces, not dashboard accounts, which are `/api/members`):
 * any member (viewers too), or a key with the `admin` scope.
 */
export type EndUserRoutesDeps = { db: Database };

export function registerEndUserRoutes(app: ZodApp, deps: EndUserRoutesDeps): void {
  const { db } = deps;

  app.get(
    '/api/users',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary: 'End users (the userId of traces), with requests, sessions, tokens, cost, errors and when last seen',
        description:
          'Sorted by `-lastSeenAt` (default), `-costUsd` or `-traceCount`. Their traces are `GET /api/traces?userId=`, their sessions `GET /api/sessions?userId=`.',
        querystring: endUserListQuerySchema,
        response: { 200: pageSchema(endUserSummarySchema), ...API_ERRORS },
      },
    },
    async (request) => listEndUsers(db, principalOf(request).orgId, request.query),
  );

  app.get(
    '/api/users/:id',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary: 'One end user with the totals of all their traces',
        params: z.object({ id: z.string().min(1).max(256) }),
        response: { 200: endUserSummarySchema, ...API_ERRORS },
      },
    },
    async (request) => {
      const user = await getEndUser(db, principalOf(request).orgId, request.params.id);
      if (!user) throw notFound('End user');
      return user;
    },
  );
}
