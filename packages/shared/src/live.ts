import { z } from 'zod';

const liveTotalsSchema = z.object({
  observations: z.number(),
  generations: z.number(),
  errors: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number(),
});

const liveObservationSchema = z.object({
  id: z.string(),
  traceId: z.string(),
  type: z.string(),
  name: z.string().nullable(),
  provider: z.string().nullable(),
  model: z.string().nullable(),
  status: z.string(),
  startTime: z.string(),
  latencyMs: z.number().nullable(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  costUsd: z.number().nullable(),
});

/**
 * One `records` event of `GET /api/live`: what a commit of the org's telemetry added, by the
 * gateway or ingest, on any replica. Totals cover the whole commit; `observations` lists its newest.
 */
export const liveUpdateSchema = z.object({
  orgId: z.string(),
  committedAt: z.string(),
  traces: z.number(),
  totals: liveTotalsSchema,
  observations: z.array(liveObservationSchema),
});
export type LiveUpdate = z.infer<typeof liveUpdateSchema>;
