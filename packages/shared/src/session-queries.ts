import { z } from 'zod';
import { pageQuerySchema } from './pagination.js';
import { traceSummarySchema } from './trace-queries.js';

const time = z.iso.datetime({ offset: true });

/** `GET /api/sessions`: sessions active in a time range, of one end user, a page at a time. */
export const sessionListQuerySchema = pageQuerySchema.extend({
  /** Sessions with a trace that started at or after this time (ISO 8601). */
  from: time.optional(),
  /** …and before this one. */
  to: time.optional(),
  userId: z.string().max(256).optional(),
});
export type SessionListQuery = z.infer<typeof sessionListQuerySchema>;

/** A session: the traces that share a `sessionId`, with their totals. */
export const sessionSummarySchema = z.object({
  sessionId: z.string(),
  traceCount: z.number().int(),
  /** When its first trace started. */
  firstTraceAt: z.string(),
  /** When its last trace started: the session's "last seen". */
  lastTraceAt: z.string(),
  /** From the first trace's start to the last thing that ended in it (a trace or an observation). */
  durationMs: z.number(),
  /** The end users seen in it, usually one. */
  userIds: z.array(z.string()),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number(),
  /** Traces in it with a failed observation. */
  errorCount: z.number().int(),
});
export type SessionSummary = z.infer<typeof sessionSummarySchema>;

/** `GET /api/sessions/:id`: the session's traces, a page at a time, oldest first. */
export const sessionDetailQuerySchema = pageQuerySchema;

/**
 * One trace of a session as a turn of the conversation: its totals, and what went in and came out
 * (the trace's own input and output, else its first recorded input and its last recorded output:
 * a gateway call records them on its generation).
 */
export const sessionTurnSchema = traceSummarySchema.extend({ input: z.unknown(), output: z.unknown() });
export type SessionTurn = z.infer<typeof sessionTurnSchema>;

export const sessionDetailSchema = z.object({
  session: sessionSummarySchema,
  /** In the order they started; `nextCursor` gives the ones after. */
  traces: z.array(sessionTurnSchema),
  nextCursor: z.string().nullable(),
});
export type SessionDetail = z.infer<typeof sessionDetailSchema>;
