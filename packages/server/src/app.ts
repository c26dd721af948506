import type { FastifyInstance } from 'fastify';
import { authDomain, registerAccessControl } from './auth/index.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/client.js';
import { type GatewayDomain, gatewayDomain } from './gateway/index.js';
import { createHttpApp } from './http/http-app.js';
import { registerNotFound } from './http/not-found.js';
import { createOutboundAgents } from './http/outbound-agents.js';
import type { Kv } from './kv/kv.js';
import { createMetrics, observeHttpDurations } from './metrics.js';
import { type OpsDomain, opsDomain, registerDashboard, registerDocs } from './ops/index.js';
import { pricingDomain } from './pricing/index.js';
import { type TelemetryDomain, telemetryDomain } from './telemetry/index.js';

export type AppDependencies = {
  config: Config & { secretKey: string };
  database: DatabaseHandle;
  kv: Kv;
  clock: Clock;
  /** Where JSON log lines go (tests capture them); stdout by default. */
  logStream?: NodeJS.WritableStream;
  /** scrypt cost for new password hashes; tests lower it. */
  passwordCost?: number;
};

/** What the domains expose of their running parts, for the CLI, tests and shutdown. */
export type AppServices = {
  db: DatabaseHandle['db'];
  lastUsed: { flush(): Promise<void> };
  batchWriter: TelemetryDomain['batchWriter'];
  ingestWriter: TelemetryDomain['ingestWriter'];
  providers: GatewayDomain['providers'];
  limits: GatewayDomain['limits'];
  alertEvaluator: OpsDomain['alertEvaluator'];
  backups: OpsDomain['backups'];
};

export type App = FastifyInstance & { services: AppServices };

/**
 * Builds the shared parts (HTTP server, metrics, outbound pools) and the domains, each from the
 * parts it needs, in dependency order; closing the app stops them in the reverse order.
 */
export async function buildApp(dependencies: AppDependencies): Promise<App> {
  const { config, database, kv, clock } = dependencies;
  const fastify = await createHttpApp({ config, logStream: dependencies.logStream });
  const log = fastify.log;
  const metrics = createMetrics();
  const registry = metrics.registry;
  const agents = createOutboundAgents(config);
  const db = database.db;

  const auth = await authDomain({ db, kv, clock, log, config, passwordCost: dependencies.passwordCost });
  const pricing = await pricingDomain({ db, kv, clock });
  const telemetry = await telemetryDomain({
    db,
    kv,
    clock,
    log,
    registry,
    prices: pricing.prices,
    ingestConcurrency: database.kind === 'pglite' ? 1 : 2,
    ingestCopy: database.kind === 'postgres',
  });
  const gateway = await gatewayDomain({
    db,
    kv,
    clock,
    log,
    registry,
    config,
    agents,
    prices: pricing.prices,
    records: telemetry.records,
  });
  const ops = await opsDomain({ database, kv, clock, log, registry, config, agents, spend: gateway.limits });
  const domains = [auth, pricing, telemetry, gateway, ops];

  const app = Object.assign(fastify, {
    services: {
      db,
      lastUsed: auth.lastUsed,
      batchWriter: telemetry.batchWriter,
      ingestWriter: telemetry.ingestWriter,
      providers: gateway.providers,
      limits: gateway.limits,
      alertEvaluator: ops.alertEvaluator,
      backups: ops.backups,
    },
  }) satisfies App;
  app.addHook('onClose', async () => {
    // A domain stops before those it uses: the gateway before telemetry, which writes its last records.
    for (const domain of domains.toReversed()) await domain.stop();
    await agents.close();
  });

  observeHttpDurations(app, metrics);
  registerAccessControl(app, auth.authenticator);
  // Before the routes: the OpenAPI document collects them as they are added.
  await registerDocs(app);
  for (const domain of domains) await app.register(domain.plugin);
  await registerDashboard(app);
  registerNotFound(app);
  return app;
}
