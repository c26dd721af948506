import { type ReadinessCheck, readinessSchema } from '@switchyard/shared';
import { z } from 'zod';
import type { DatabaseHandle } from '../../db/client.js';
import type { ZodApp } from '../../http/zod-app.js';
import type { Kv } from '../../kv/kv.js';

const CHECK_TIMEOUT_MS = 2_000;

async function check(kind: string, probe: () => Promise<void>): Promise<ReadinessCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'ok', kind, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      status: 'error',
      kind,
      latencyMs: Math.round(performance.now() - started),
      error: (error as Error).message,
    };
  } finally {
    clearTimeout(timer);
  }
}

export type HealthRoutesDeps = { database: Pick<DatabaseHandle, 'kind' | 'ping'>; kv: Pick<Kv, 'kind' | 'ping'> };

export function registerHealthRoutes(app: ZodApp, deps: HealthRoutesDeps): void {
  app.get(
    '/health',
    {
      schema: {
        tags: ['operations'],
        summary: 'Liveness: the process answers (no I/O)',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/ready',
    {
      schema: {
        tags: ['operations'],
        summary: 'Readiness: Postgres and the kv answer; 503 names the one that does not',
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const [database, kv] = await Promise.all([
        check(deps.database.kind, () => deps.database.ping()),
        check(deps.kv.kind, () => deps.kv.ping()),
      ]);
      const status = database.status === 'ok' && kv.status === 'ok' ? 'ok' : 'error';
      return reply.code(status === 'ok' ? 200 : 503).send({ status, checks: { database, kv } });
    },
  );
}
