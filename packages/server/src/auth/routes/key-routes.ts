import {
  apiKeySchema,
  createApiKeyBodySchema,
  createdApiKeySchema,
  pageQuerySchema,
  pageSchema,
  ROLE_SCOPES,
  roleAtLeast,
} from '@switchyard/shared';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/client.js';
import { API_ERRORS } from '../../http/error-responses.js';
import { forbidden, notFound } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import { access } from '../access.js';
import { principalOf } from '../access-control.js';
import type { Principal } from '../authenticator.js';
import { createApiKey, findApiKey, listApiKeys, revokeApiKey, toPublicApiKey } from '../keys/api-keys.js';
import type { ApiKeyResolver } from '../keys/key-resolver.js';

const tags = ['api keys'];
const idParams = z.object({ id: z.uuid() });

/** A key never holds more than its creator's role allows (the role bounds it again at every use). */
function checkScopes(principal: Principal, scopes: readonly string[]): void {
  const allowed: readonly string[] = ROLE_SCOPES[principal.role];
  const beyond = scopes.filter((scope) => !allowed.includes(scope));
  if (beyond.length === 0) return;
  throw forbidden(
    `scopes: a ${principal.role} can give a key ${allowed.length ? `only ${allowed.join(', ')}` : 'no scopes'}, not ${beyond.join(', ')}`,
    'insufficient_role',
  );
}

export type KeyRoutesDeps = { db: Database; clock: Clock; resolver: ApiKeyResolver };

export function registerKeyRoutes(app: ZodApp, deps: KeyRoutesDeps): void {
  const { db, resolver, clock } = deps;

  app.get(
    '/api/keys',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary: "The org's API keys, newest first",
        querystring: pageQuerySchema,
        response: { 200: pageSchema(apiKeySchema), ...API_ERRORS },
      },
    },
    async (request) => {
      return listApiKeys(db, { orgId: principalOf(request).orgId, ...request.query });
    },
  );

  app.post(
    '/api/keys',
    {
      config: { access: access.member('member') },
      schema: {
        tags,
        summary: 'Create an API key; the response is the only time its secret is shown',
        description:
          "A key carries at most what its creator's role allows (members: `gateway`, `ingest`; admins and owners also `admin`), and keeps acting with the lesser of its scopes and its creator's current role: demoting them narrows it, removing them stops it.",
        body: createApiKeyBodySchema,
        response: { 201: createdApiKeySchema, ...API_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      checkScopes(principal, request.body.scopes);
      const { row, secret } = await createApiKey(db, {
        ...request.body,
        orgId: principal.orgId,
        // A key made by a key carries the same person's authority.
        createdBy: principal.userId,
      });
      return reply.code(201).send({ ...toPublicApiKey(row), secret });
    },
  );

  app.get(
    '/api/keys/:id',
    {
      config: { access: access.member('viewer') },
      schema: { tags, summary: 'One API key', params: idParams, response: { 200: apiKeySchema, ...API_ERRORS } },
    },
    async (request) => {
      const row = await findApiKey(db, principalOf(request).orgId, request.params.id);
      if (!row) throw notFound('API key');
      return toPublicApiKey(row);
    },
  );

  app.delete(
    '/api/keys/:id',
    {
      config: { access: access.member('member') },
      schema: {
        tags,
        summary: 'Revoke an API key; every replica refuses it within a second',
        description: 'Members revoke the keys they created; admins and owners any key of the org.',
        params: idParams,
        response: { 200: apiKeySchema, ...API_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const existing = await findApiKey(db, principal.orgId, request.params.id);
      if (!existing) throw notFound('API key');
      if (!roleAtLeast(principal.role, 'admin') && existing.createdBy !== principal.userId) {
        throw forbidden('Members revoke only the keys they created; this needs the admin role', 'insufficient_role');
      }
      const row = await revokeApiKey(db, { orgId: principal.orgId, id: request.params.id, now: new Date(clock.now()) });
      if (!row) throw notFound('API key');
      await resolver.broadcastRevocation(row.secretHash);
      return toPublicApiKey(row);
    },
  );
}
