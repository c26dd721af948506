import type { ModelPrice } from '@switchyard/shared';
import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { errorHandlerFor } from '../db/http-errors.js';
import { type Domain, routesOf } from '../http/domain.js';
import type { Kv } from '../kv/kv.js';
import { runPeriodically, SWEEP_INTERVAL_MS } from '../periodic.js';
import { pruneIngestState } from './ingest/ingest-retention.js';
import { IngestService } from './ingest/ingest-service.js';
import { IngestWriter } from './ingest/ingest-writer.js';
import { LiveFeed } from './live-feed.js';
import type { RecordSink } from './records.js';
import { registerEndUserRoutes } from './routes/end-user-routes.js';
import { registerIngestRoute } from './routes/ingest-route.js';
import { registerLiveRoute } from './routes/live-route.js';
import { registerOtelRoute } from './routes/otel-route.js';
import { registerQueryRoutes } from './routes/query-routes.js';
import { registerSessionRoutes } from './routes/session-routes.js';
import { BatchWriter } from './writer/batch-writer.js';
import { registerWriterMetrics } from './writer/writer-metrics.js';

export type { PendingRecord, RecordItem, RecordSink } from './records.js';

/** What the telemetry domain needs from the app. */
export type TelemetryDeps = {
  db: Database;
  kv: Kv;
  clock: Clock;
  log: FastifyBaseLogger;
  registry: Registry;
  /** Each org's prices, to cost ingested generations that arrive without a cost. */
  prices: { forOrg(orgId: string): Promise<readonly ModelPrice[]> };
  /** How many ingest batches are written at once (embedded PGlite has one connection). */
  ingestConcurrency: number;
  /** Write ingested rows with COPY (a Postgres server; PGlite's wire protocol has no COPY). */
  ingestCopy: boolean;
};

/** Traces and observations: the gateway's records, the ingest API and OTLP, queries and the live feed. */
export type TelemetryDomain = Domain & {
  /** Where the gateway records its calls. */
  records: RecordSink;
  /** The writer behind `records`; tests and shutdown flush it. */
  batchWriter: BatchWriter;
  ingestWriter: IngestWriter;
};

export async function telemetryDomain(deps: TelemetryDeps): Promise<TelemetryDomain> {
  const { db, kv, clock, log, registry } = deps;
  const liveFeed = new LiveFeed({ kv, log });
  await liveFeed.start();
  const batchWriter = new BatchWriter({ db, log, onCommitted: (batch) => liveFeed.publish(batch) });
  registerWriterMetrics(registry, batchWriter);
  const ingestWriter = new IngestWriter({
    db,
    prices: deps.prices,
    log,
    concurrency: deps.ingestConcurrency,
    copy: deps.ingestCopy,
    onCommitted: (batch) => liveFeed.publish(batch),
  });
  const ingest = new IngestService({ writer: ingestWriter, kv, log, registry });
  const stopSweep = runPeriodically({
    intervalMs: SWEEP_INTERVAL_MS,
    task: () => pruneIngestState(db, clock.now()),
    log,
    failure: 'pruning old ingest envelopes failed',
  });
  return {
    records: batchWriter,
    batchWriter,
    ingestWriter,
    plugin: routesOf(errorHandlerFor('api'), async (app) => {
      // The batch ingest API lives under /v1 beside the gateway, and answers errors as it does.
      await app.register(routesOf(errorHandlerFor('openai'), (v1) => registerIngestRoute(v1, { ingest })));
      registerQueryRoutes(app, { db, clock });
      registerSessionRoutes(app, { db });
      registerEndUserRoutes(app, { db });
      await registerOtelRoute(app, { ingest });
      registerLiveRoute(app, { liveFeed });
    }),
    stop: async () => {
      stopSweep();
      await ingestWriter.stop();
      // Every call answered before close is written before the database closes.
      await batchWriter
        .stop()
        .catch((error) => log.error({ err: error, lost: batchWriter.buffered }, 'could not write the last records'));
      await liveFeed.stop();
    },
  };
}
