import { z } from 'zod';
import { pageQuerySchema } from './pagination.js';

const time = z.iso.datetime({ offset: true });

/**
 * Orders of `GET /api/users`, each descending: most recently seen, biggest spender, most requests.
 * Ties are broken by user id.
 */
export const END_USER_SORTS = ['-lastSeenAt', '-costUsd', '-traceCount'] as const;
export type EndUserSort = (typeof END_USER_SORTS)[number];

/** `GET /api/users`: the org's end users (traces' `userId`), a page at a time. */
export const endUserListQuerySchema = pageQuerySchema.extend({
  sort: z.enum(END_USER_SORTS).default('-lastSeenAt'),
  /** Count only traces that started at or after this time (ISO 8601). */
  from: time.optional(),
  /** …and before this one. */
  to: time.optional(),
});
export type EndUserListQuery = z.infer<typeof endUserListQuerySchema>;

/**
 * An end user of the org's app, as its traces name them (`x-switchyard-user-id`, the request's
 * `user` field, the SDK's or OTLP's user id), with the totals of their traces. Not a dashboard
 * account: those are members.
 */
export const endUserSummarySchema = z.object({
  userId: z.string(),
  /** Their traces: one per gateway call, one per SDK or OTLP trace. */
  traceCount: z.number().int(),
  sessionCount: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
  /** Their traces with a failed observation. */
  errorCount: z.number().int(),
  firstSeenAt: z.string(),
  /** When their last trace started. */
  lastSeenAt: z.string(),
});
export type EndUserSummary = z.infer<typeof endUserSummarySchema>;
