import { z } from 'zod';

/**
 * One `records` event of `GET /api/live`: what a commit of the org's telemetry added, by the
 * gateway or ingest, on any replica. Totals cover the whole commit; `observations` lists its newest.
 */
export type LiveUpdate = {
  orgId: string;
  committedAt: string;
  traces: number;
  totals: {
    observations: number;
    generations: number;
    errors: number;
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
  };
  observations: Array<{
    id: string;
    traceId: string;
    type: string;
    name: string | null;
    provider: string | null;
    model: string | null;
    status: string;
    startTime: string;
    latencyMs: number | null;
    inputTokens: number;
    outputTokens: number;
    costUsd: number | null;
  }>;
};

/** A `LiveUpdate` as it crosses the kv between replicas, checked on the way in. */
export const liveUpdateSchema = z.object({
  orgId: z.string(),
  committedAt: z.string(),
  traces: z.number(),
  totals: z.object({
    observations: z.number(),
    generations: z.number(),
    errors: z.number(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    costUsd: z.number(),
  }),
  observations: z.array(
    z.object({
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
    }),
  ),
}) satisfies z.ZodType<LiveUpdate>;
