import {
  apiErrorSchema,
  apiKeySchema,
  createApiKeyBodySchema,
  createdApiKeySchema,
  pageQuerySchema,
  pageSchema,
} from '@switchyard/shared';
import { z } from 'zod';
import type { Services, ZodApp } from '../app.js';
import { notFound } from '../http/http-error.js';
import { createApiKey, findApiKey, listApiKeys, revokeApiKey, toPublicApiKey } from './api-keys.js';

const tags = ['api keys'];
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema };
const idParams = z.object({ id: z.uuid() });

export function registerKeyRoutes(app: ZodApp, services: Services): void {
  const { db, authenticator, resolver, clock } = services;

  app.get(
    '/api/keys',
    {
      schema: {
        tags,
        summary: "The org's API keys, newest first",
        querystring: pageQuerySchema,
        response: { 200: pageSchema(apiKeySchema), ...errors },
      },
    },
    async (request) => {
      const principal = await authenticator.member(request, 'viewer');
      return listApiKeys(db, { orgId: principal.orgId, ...request.query });
    },
  );

  app.post(
    '/api/keys',
    {
      schema: {
        tags,
        summary: 'Create an API key; the response is the only time its secret is shown',
        body: createApiKeyBodySchema,
        response: { 201: createdApiKeySchema, ...errors },
      },
    },
    async (request, reply) => {
      const principal = await authenticator.member(request, 'member');
      const { row, secret } = await createApiKey(db, {
        ...request.body,
        orgId: principal.orgId,
        createdBy: principal.kind === 'session' ? principal.userId : null,
      });
      return reply.code(201).send({ ...toPublicApiKey(row), secret });
    },
  );

  app.get(
    '/api/keys/:id',
    { schema: { tags, summary: 'One API key', params: idParams, response: { 200: apiKeySchema, ...errors } } },
    async (request) => {
      const principal = await authenticator.member(request, 'viewer');
      const row = await findApiKey(db, principal.orgId, request.params.id);
      if (!row) throw notFound('API key');
      return toPublicApiKey(row);
    },
  );

  app.delete(
    '/api/keys/:id',
    {
      schema: {
        tags,
        summary: 'Revoke an API key; every replica refuses it within a second',
        params: idParams,
        response: { 200: apiKeySchema, ...errors },
      },
    },
    async (request) => {
      const principal = await authenticator.member(request, 'member');
      const row = await revokeApiKey(db, { orgId: principal.orgId, id: request.params.id, now: new Date(clock.now()) });
      if (!row) throw notFound('API key');
      await resolver.broadcastRevocation(row.secretHash);
      return toPublicApiKey(row);
    },
  );
}
