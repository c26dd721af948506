import { providerCredentialBodySchema, providerCredentialSchema } from '@switchyard/shared';
import { z } from 'zod';
import { access, principalOf } from '../../auth/index.js';
import type { Config } from '../../config.js';
import { API_WRITE_ERRORS } from '../../http/error-responses.js';
import { conflict, notFound } from '../../http/http-error.js';
import { refuseNonPublicUrl } from '../../http/private-network.js';
import type { ZodApp } from '../../http/zod-app.js';
import type { OrgProviderStore } from '../providers/org-providers.js';

const tags = ['providers'];
const idParams = z.object({ id: z.uuid() });

export type ProviderAdminRoutesDeps = { orgProviders: OrgProviderStore; config: Pick<Config, 'allowPrivateUrls'> };

export function registerProviderAdminRoutes(app: ZodApp, deps: ProviderAdminRoutesDeps): void {
  const { orgProviders, config } = deps;

  app.get(
    '/api/providers',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary: "The org's own provider credentials (keys are never returned)",
        response: { 200: z.object({ data: z.array(providerCredentialSchema) }), ...API_WRITE_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return { data: await orgProviders.list(principal.orgId) };
    },
  );

  app.post(
    '/api/providers',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary:
          'Add a provider with the org’s own key: OpenAI, Anthropic or any OpenAI-compatible base URL; stored encrypted',
        body: providerCredentialBodySchema,
        response: { 201: providerCredentialSchema, ...API_WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      refuseNonPublicUrl(request.body.baseUrl, 'baseUrl', config.allowPrivateUrls);
      const created = await orgProviders.create(principal.orgId, request.body);
      if (!created) throw conflict(`name: this org already has a provider "${request.body.name}"`, 'name_taken');
      return reply.code(201).send(created);
    },
  );

  app.put(
    '/api/providers/:id',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary:
          'Replace a provider’s settings; its key too when `apiKey` is given (`null` removes it, absent keeps it)',
        params: idParams,
        body: providerCredentialBodySchema,
        response: { 200: providerCredentialSchema, ...API_WRITE_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      refuseNonPublicUrl(request.body.baseUrl, 'baseUrl', config.allowPrivateUrls);
      const replaced = await orgProviders.replace(principal.orgId, request.params.id, request.body);
      if (replaced === 'name_taken')
        throw conflict(`name: this org already has another provider "${request.body.name}"`, 'name_taken');
      if (!replaced) throw notFound('Provider');
      return replaced;
    },
  );

  app.delete(
    '/api/providers/:id',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary: 'Remove a provider and its key',
        params: idParams,
        response: { 204: z.null(), ...API_WRITE_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (!(await orgProviders.delete(principal.orgId, request.params.id))) throw notFound('Provider');
      return reply.code(204).send(null);
    },
  );
}
