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
