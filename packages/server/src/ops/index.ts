import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger, FastifyTypeProviderDefault } from 'fastify';
import type { Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { DatabaseHandle } from '../db/client.js';
import { errorHandlerFor } from '../db/http-errors.js';
import type { SpendReader } from '../gateway/index.js';
import { type Domain, routesOf } from '../http/domain.js';
import type { OutboundAgents } from '../http/outbound-agents.js';
import type { Kv } from '../kv/kv.js';
import { runPeriodically, SWEEP_INTERVAL_MS } from '../periodic.js';
import { AlertEvaluator } from './alerts/alert-evaluator.js';
import { AlertNotifier } from './alerts/alert-notifier.js';
import { pruneAlertEvents } from './alerts/alert-store.js';
import { AlertWebhook } from './alerts/alert-webhook.js';
import { BackupScheduler } from './backup/backup-scheduler.js';
import { registerAlertRoutes } from './routes/alert-routes.js';
import { registerHealthRoutes } from './routes/health-routes.js';
import { registerMetricsRoute } from './routes/metrics-route.js';

export { registerDashboard } from './dashboard.js';
export { registerDocs } from './docs.js';

const ALERT_SHUTDOWN_GRACE_MS = 2_000;

/** What the ops domain needs from the app. */
export type OpsDeps = {
  database: DatabaseHandle;
  kv: Kv;
  clock: Clock;
  log: FastifyBaseLogger;
  registry: Registry;
  config: Pick<Config, 'alertWebhookUrl' | 'publicUrl' | 'allowPrivateUrls' | 'metricsToken' | 'backup' | 'dataDir'> & {
    secretKey: string;
  };
  agents: Pick<OutboundAgents, 'tenant'>;
  /** What keys and orgs have spent, for budget alerts. */
  spend: SpendReader;
};

/** Health, readiness, Prometheus metrics, alerts and scheduled backups. */
export type OpsDomain = Domain & {
  alertEvaluator: AlertEvaluator;
  /** Scheduled backups of the embedded database, when BACKUP_DIR is set. */
  backups: BackupScheduler | undefined;
};

export async function opsDomain(deps: OpsDeps): Promise<OpsDomain> {
  const { database, clock, log, registry, config } = deps;
  const db = database.db;
  const alertWebhook = new AlertWebhook({ log, tenantDispatcher: deps.agents.tenant });
  const alertEvaluator = new AlertEvaluator({
    db,
    limits: deps.spend,
    notifier: new AlertNotifier({ db, webhook: alertWebhook, defaultWebhookUrl: config.alertWebhookUrl, registry }),
    clock,
    log,
    publicUrl: config.publicUrl,
  });
  const backups =
    config.backup.dir && database.kind === 'pglite'
      ? new BackupScheduler({
          database,
          dataDir: config.dataDir,
          secretKey: config.secretKey,
          dir: config.backup.dir,
          intervalHours: config.backup.intervalHours,
          keepDays: config.backup.keepDays,
          clock,
          log,
          registry,
        })
      : undefined;
  const stopSweep = runPeriodically({
    intervalMs: SWEEP_INTERVAL_MS,
    task: () => pruneAlertEvents(db, clock.now()),
    log,
    failure: 'pruning old alert events failed',
  });
  alertEvaluator.start();
  backups?.start();
  return {
    alertEvaluator,
    backups,
    plugin: routesOf(errorHandlerFor('api'), (app) => {
      registerHealthRoutes(app, { database, kv: deps.kv });
      registerMetricsRoute(app.withTypeProvider<FastifyTypeProviderDefault>(), {
        registry,
        token: config.metricsToken,
      });
      registerAlertRoutes(app, { db, clock, alertEvaluator, config });
    }),
    stop: async () => {
      stopSweep();
      // A backup in progress holds the database's session: let it finish and write its file.
      await backups?.stop();
      // A pass in progress records what it sent while the database is still open. A webhook that does
      // not answer within the grace is given up on, so the records still get written.
      const evaluatorStopped = alertEvaluator.stop();
      await Promise.race([evaluatorStopped, sleep(ALERT_SHUTDOWN_GRACE_MS, undefined, { ref: false })]);
      alertWebhook.abortAll();
      await evaluatorStopped;
    },
  };
}
