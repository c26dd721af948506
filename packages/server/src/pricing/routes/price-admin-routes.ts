import { listedPriceSchema, priceOverrideBodySchema, priceOverrideSchema } from '@switchyard/shared';
import { z } from 'zod';
import { access, principalOf } from '../../auth/index.js';
import { API_ERRORS } from '../../http/error-responses.js';
import { notFound } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import { BUILT_IN_PRICES } from '../listed-prices.js';
import type { PriceStore } from '../price-store.js';

const tags = ['prices'];

export type PriceAdminRoutesDeps = { prices: PriceStore };

export function registerPriceAdminRoutes(app: ZodApp, deps: PriceAdminRoutesDeps): void {
  const { prices } = deps;

  app.get(
    '/api/prices',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary:
          "The prices this org's calls are costed with (USD per million tokens): its own, the server's, then built-in",
        description:
          "The org's own prices (`source: org`) cost its own provider credentials and its ingested telemetry; calls through the server-wide providers are costed at the operator's prices (`server`), then the built-in table.",
        response: { 200: z.object({ data: z.array(listedPriceSchema) }), ...API_ERRORS },
      },
    },
    async (request) => {
      const [own, server] = await Promise.all([prices.list(principalOf(request).orgId), prices.listServer()]);
      return {
        data: [
          ...own.map(({ updatedAt: _updatedAt, ...price }) => ({ ...price, source: 'org' as const })),
          ...server.map(({ updatedAt: _updatedAt, id: _id, ...price }) => ({ ...price, source: 'server' as const })),
          ...BUILT_IN_PRICES,
        ],
      };
    },
  );

  app.put(
    '/api/prices',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary: "Set the org's price for a model (or a `prefix*`); it costs calls from then on, on every replica",
        description:
          "It applies to the org's own provider credentials and its ingested telemetry. Calls through the server-wide providers keep the operator's prices: they spend the server's keys.",
        body: priceOverrideBodySchema,
        response: { 200: priceOverrideSchema, ...API_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return prices.put(principal.orgId, request.body);
    },
  );

  app.delete(
    '/api/prices/:id',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary: 'Remove an override: the built-in price applies again',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null(), ...API_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (!(await prices.delete(principal.orgId, request.params.id))) throw notFound('Price override');
      return reply.code(204).send(null);
    },
  );
}
