import { listedPriceSchema, priceOverrideBodySchema, priceOverrideSchema } from '@switchyard/shared';
import { z } from 'zod';
import { access } from '../../auth/index.js';
import { API_ERRORS } from '../../http/error-responses.js';
import { notFound } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import { BUILT_IN_PRICES } from '../listed-prices.js';
import type { PriceStore } from '../price-store.js';

const tags = ['operator'];

/**
 * The operator's prices for the server-wide providers (`OPENAI_API_KEY` and the like): every org's
 * calls through them are costed, and counted against budgets, at these.
 */
export type ServerPriceRoutesDeps = { prices: PriceStore };

export function registerServerPriceRoutes(app: ZodApp, deps: ServerPriceRoutesDeps): void {
  const { prices } = deps;

  app.get(
    '/api/operator/prices',
    {
      config: { access: access.operator },
      schema: {
        tags,
        summary: "The server's prices for its providers (USD per million tokens): the operator's, then built-in",
        response: { 200: z.object({ data: z.array(listedPriceSchema) }), ...API_ERRORS },
      },
    },
    async () => {
      const server = await prices.listServer();
      return {
        data: [
          ...server.map(({ updatedAt: _updatedAt, ...price }) => ({ ...price, source: 'server' as const })),
          ...BUILT_IN_PRICES,
        ],
      };
    },
  );

  app.put(
    '/api/operator/prices',
    {
      config: { access: access.operator },
      schema: {
        tags,
        summary: 'Set the price of a model (or a `prefix*`) on the server-wide providers, for every org',
        description:
          'A model the built-in table does not list (a new one) costs nothing until it has a price here: set one before opening it to orgs with budgets.',
        body: priceOverrideBodySchema,
        response: { 200: priceOverrideSchema, ...API_ERRORS },
      },
    },
    async (request) => prices.putServer(request.body),
  );

  app.delete(
    '/api/operator/prices/:id',
    {
      config: { access: access.operator },
      schema: {
        tags,
        summary: 'Remove a server price: the built-in one applies again',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null(), ...API_ERRORS },
      },
    },
    async (request, reply) => {
      if (!(await prices.deleteServer(request.params.id))) throw notFound('Server price');
      return reply.code(204).send(null);
    },
  );
}
