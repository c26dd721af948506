import {
  apiErrorSchema,
  type ListedPrice,
  listedPriceSchema,
  MODEL_PRICES,
  priceOverrideBodySchema,
  priceOverrideSchema,
} from '@switchyard/shared';
import { z } from 'zod';
import type { Services, ZodApp } from '../app.js';
import { notFound } from '../http/http-error.js';

const tags = ['prices'];
const errors = { 400: apiErrorSchema, 401: apiErrorSchema, 403: apiErrorSchema, 404: apiErrorSchema };

/** The built-in table as listed: each pattern's source stands for the models it prices. */
const BUILT_IN: ListedPrice[] = MODEL_PRICES.map((price) => ({
  model: price.pattern.source,
  input: price.input,
  output: price.output,
  ...(price.cachedInput === undefined ? {} : { cachedInput: price.cachedInput }),
  source: 'built-in',
  asOf: price.asOf,
}));

export function registerPriceAdminRoutes(app: ZodApp, services: Services): void {
  const { authenticator, prices } = services;

  app.get(
    '/api/prices',
    {
      schema: {
        tags,
        summary: "The prices this org's calls are costed with (USD per million tokens): its overrides, then built-in",
        response: { 200: z.object({ data: z.array(listedPriceSchema) }), ...errors },
      },
    },
    async (request) => {
      const principal = await authenticator.member(request, 'viewer');
      const overrides = await prices.list(principal.orgId);
      return {
        data: [
          ...overrides.map(({ updatedAt: _updatedAt, ...price }) => ({ ...price, source: 'org' as const })),
          ...BUILT_IN,
        ],
      };
    },
  );

  app.put(
    '/api/prices',
    {
      schema: {
        tags,
        summary: "Set the org's price for a model (or a `prefix*`); it costs calls from then on, on every replica",
        body: priceOverrideBodySchema,
        response: { 200: priceOverrideSchema, ...errors },
      },
    },
    async (request) => {
      const principal = await authenticator.member(request, 'admin');
      return prices.put(principal.orgId, request.body);
    },
  );

  app.delete(
    '/api/prices/:id',
    {
      schema: {
        tags,
        summary: 'Remove an override: the built-in price applies again',
        params: z.object({ id: z.uuid() }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (request, reply) => {
      const principal = await authenticator.member(request, 'admin');
      if (!(await prices.delete(principal.orgId, request.params.id))) throw notFound('Price override');
      return reply.code(204).send(null);
    },
  );
}
