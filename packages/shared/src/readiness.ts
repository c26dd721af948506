import { z } from 'zod';

/** One dependency's answer to the readiness probe. */
export const readinessCheckSchema = z.object({
  status: z.enum(['ok', 'error']),
  kind: z.string(),
  latencyMs: z.number(),
  error: z.string().optional(),
});
export type ReadinessCheck = z.infer<typeof readinessCheckSchema>;

/** `GET /ready`, with 200 or 503: Postgres and the kv, each with how it answered. */
export const readinessSchema = z.object({
  status: z.enum(['ok', 'error']),
  checks: z.object({ database: readinessCheckSchema, kv: readinessCheckSchema }),
});
export type Readiness = z.infer<typeof readinessSchema>;
