import type { FastifyBaseLogger } from 'fastify';

/** Hourly upkeep: expired sessions, old ingest envelopes and alert events are swept this often. */
export const SWEEP_INTERVAL_MS = 3600_000;

/**
 * Runs `task` every `intervalMs`, without holding the process open; a failure is logged as `failure`
 * and the next run goes ahead. Returns the function that stops it.
 */
export function runPeriodically(options: {
  intervalMs: number;
  task: () => Promise<unknown>;
  log: FastifyBaseLogger;
  failure: string;
}): () => void {
  const timer = setInterval(
    () => void options.task().catch((error) => options.log.warn({ err: error }, options.failure)),
    options.intervalMs,
  );
  timer.unref();
  return () => clearInterval(timer);
}
