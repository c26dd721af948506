import { apiErrorSchema, openAiErrorSchema } from '@switchyard/shared';
import { z } from 'zod';
import type { ErrorShape } from './error-handler.js';

/** Anthropic's error body, which its SDK reads on `/v1/messages`. */
export const anthropicErrorSchema = z.object({
  type: z.literal('error'),
  error: z.object({ type: z.string(), message: z.string() }),
});

/** The body the error handler writes in each shape, for the OpenAPI document. */
const ERROR_SCHEMAS = { api: apiErrorSchema, openai: openAiErrorSchema, anthropic: anthropicErrorSchema } as const;

type ErrorSchemas = typeof ERROR_SCHEMAS;

/**
 * The `response` entries of a route's error statuses, each with its shape's body: what the
 * OpenAPI document lists beside the route's answer.
 *
 * @example
 * schema: { response: { 200: orgSchema, ...errorResponses({ shape: 'api', statuses: [401, 403] }) } }
 */
export function errorResponses<const TShape extends ErrorShape, const TStatus extends number>(options: {
  shape: TShape;
  statuses: readonly TStatus[];
}): Record<TStatus, ErrorSchemas[TShape]> {
  const schema = ERROR_SCHEMAS[options.shape];
  return Object.fromEntries(options.statuses.map((status) => [status, schema])) as Record<
    TStatus,
    ErrorSchemas[TShape]
  >;
}

/** What most `/api` routes may refuse with: a bad request, no or too little access, nothing there. */
export const API_ERRORS = errorResponses({ shape: 'api', statuses: [400, 401, 403, 404] });

/** `API_ERRORS` and 409, for routes that create or rename what must stay unique. */
export const API_WRITE_ERRORS = errorResponses({ shape: 'api', statuses: [400, 401, 403, 404, 409] });

/** What a `/v1` model call may refuse with, limits and budgets included. */
export const OPENAI_CALL_ERRORS = errorResponses({ shape: 'openai', statuses: [400, 401, 402, 403, 404, 429] });

/** The same refusals in Anthropic's shape, for `/v1/messages`. */
export const ANTHROPIC_CALL_ERRORS = errorResponses({
  shape: 'anthropic',
  statuses: [400, 401, 402, 403, 404, 429],
});
