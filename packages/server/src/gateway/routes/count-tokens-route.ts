import { z } from 'zod';
import { access, apiKeyOf } from '../../auth/index.js';
import { errorResponses } from '../../http/error-responses.js';
import type { ZodApp } from '../../http/zod-app.js';
import type { CallServices } from '../gateway-call.js';
import { abortOnDisconnect } from '../gateway-call.js';
import { countTokensRequestSchema } from '../messages/from-anthropic.js';
import { ESTIMATE_TOKENIZER, estimateInputTokens } from '../messages/token-estimate.js';
import { toClientError } from '../providers/upstream-error.js';
import { planRoute, RoutingError, runRoute } from '../routing/router.js';

/** Who counted: the provider itself, or our tokenizer for providers that cannot count. */
type TokenCount = { inputTokens: number; countedBy: 'provider' | 'estimate' };

export type CountTokensRouteDeps = { call: Pick<CallServices, 'routes' | 'orgProviders' | 'limits'> };

/**
 * `POST /v1/messages/count_tokens`, as the Anthropic SDK's `messages.countTokens` calls it: routed
 * like `/v1/messages`, forwarded to Anthropic providers (free there) and estimated with a tokenizer
 * for the others. It spends nothing, so it is not recorded; it counts against the rate limits.
 */
export function registerCountTokensRoute(app: ZodApp, deps: CountTokensRouteDeps): void {
  const { routes, orgProviders, limits } = deps.call;
  app.post(
    '/v1/messages/count_tokens',
    {
      config: { access: access.apiKey('gateway') },
      schema: {
        tags: ['gateway'],
        summary:
          'Count a Messages request’s input tokens: Anthropic’s own count for Anthropic targets, an estimate for the others (x-switchyard-token-count says which)',
        security: [{ bearerAuth: [] }],
        body: countTokensRequestSchema,
        response: {
          200: z.object({ input_tokens: z.number().int() }),
          ...errorResponses({ shape: 'anthropic', statuses: [400, 401, 403, 404, 429] }),
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      const principal = apiKeyOf(request);
      const plan = await planRoute({ requested: body.model, orgId: principal.orgId, routes });
      const providers = await orgProviders.resolverFor(principal);
      const admission = await limits.admit({ principal });
      reply.headers(admission.headers);
      const { signal } = abortOnDisconnect(request, reply);
      try {
        const { value, provider: answeredBy } = await runRoute<TokenCount>({
          plan,
          providers,
          signal,
          call: async (provider, upstreamModel, attemptSignal) =>
            provider.countMessageTokens
              ? {
                  countedBy: 'provider',
                  inputTokens: await provider.countMessageTokens(
                    { ...body, model: upstreamModel },
                    { signal: attemptSignal, requestHeaders: request.headers },
                  ),
                }
              : {
                  countedBy: 'estimate',
                  inputTokens: await estimateInputTokens({ body, model: `${provider.name}/${upstreamModel}` }),
                },
        });
        reply.header('x-switchyard-provider', answeredBy.name).header('x-switchyard-token-count', value.countedBy);
        if (value.countedBy === 'estimate') reply.header('x-switchyard-tokenizer', ESTIMATE_TOKENIZER);
        return { input_tokens: value.inputTokens };
      } catch (error) {
        const cause = error instanceof RoutingError ? error.last : error;
        throw toClientError(cause) ?? cause;
      } finally {
        await admission.settle({ tokens: 0, costUsd: 0 });
      }
    },
  );
}
