import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import fastifyCookie from '@fastify/cookie';
import fastifyCors from '@fastify/cors';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  LogController,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
} from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { Agent } from 'undici';
import { registerAccessControl } from './auth/access.js';
import { Authenticator } from './auth/authenticator.js';
import { ApiKeyResolver } from './auth/keys/key-resolver.js';
import { LastUsedTracker } from './auth/keys/last-used-tracker.js';
import { registerAuthRoutes } from './auth/routes/auth-routes.js';
import { registerInvitationRoutes } from './auth/routes/invitation-routes.js';
import { registerKeyRoutes } from './auth/routes/key-routes.js';
import { registerMemberRoutes } from './auth/routes/member-routes.js';
import { registerOperatorRoutes } from './auth/routes/operator-routes.js';
import { registerOrgRoutes } from './auth/routes/org-routes.js';
import { LoginLimiter } from './auth/sessions/login-limiter.js';
import { deleteExpiredSessions } from './auth/sessions/sessions.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { DatabaseHandle } from './db/client.js';
import { createResponseCache, type ResponseCache } from './gateway/cache/response-cache.js';
import { LimitGuard } from './gateway/limits/limit-guard.js';
import { OrgProviderStore } from './gateway/providers/org-providers.js';
import { ProviderRegistry, providersFromConfig } from './gateway/providers/provider-registry.js';
import { CallMetrics } from './gateway/recording/call-metrics.js';
import { GatewayRecorder } from './gateway/recording/call-recorder.js';
import { registerChatCompletionsRoute } from './gateway/routes/chat-completions-route.js';
import { registerEmbeddingsRoute } from './gateway/routes/embeddings-route.js';
import { registerMessagesRoute } from './gateway/routes/messages-route.js';
import { registerModelRoutes } from './gateway/routes/model-routes.js';
import { registerProviderAdminRoutes } from './gateway/routes/provider-admin-routes.js';
import { registerRouteAdminRoutes } from './gateway/routes/route-admin-routes.js';
import { registerUsageRoute } from './gateway/routes/usage-route.js';
import { RouteStore } from './gateway/routing/route-store.js';
import { handleError } from './http/error-handler.js';
import { registerJsonDepthGuard } from './http/json-depth-guard.js';
import { registerNotFound } from './http/not-found.js';
import { createPublicOnlyAgent } from './http/private-network.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import type { Kv } from './kv/kv.js';
import { AlertEvaluator } from './ops/alerts/alert-evaluator.js';
import { AlertNotifier } from './ops/alerts/alert-notifier.js';
import { pruneAlertEvents } from './ops/alerts/alert-store.js';
import { AlertWebhook } from './ops/alerts/alert-webhook.js';
import { BackupScheduler } from './ops/backup/backup-scheduler.js';
import { registerDashboard } from './ops/dashboard.js';
import { registerDocs } from './ops/docs.js';
import { createMetrics, type Metrics, registerMetrics } from './ops/metrics.js';
import { registerAlertRoutes } from './ops/routes/alert-routes.js';
import { registerHealthRoutes } from './ops/routes/health-routes.js';
import { PriceStore } from './pricing/price-store.js';
import { registerPriceAdminRoutes } from './pricing/routes/price-admin-routes.js';
import { registerServerPriceRoutes } from './pricing/routes/server-price-routes.js';
import { pruneIngestState } from './telemetry/ingest/ingest-retention.js';
import { IngestService } from './telemetry/ingest/ingest-service.js';
import { IngestWriter } from './telemetry/ingest/ingest-writer.js';
import { LiveFeed } from './telemetry/live-feed.js';
import { registerIngestRoute } from './telemetry/routes/ingest-route.js';
import { registerLiveRoute } from './telemetry/routes/live-route.js';
import { registerOtelRoute } from './telemetry/routes/otel-route.js';
import { registerQueryRoutes } from './telemetry/routes/query-routes.js';
import { BatchWriter } from './telemetry/writer/batch-writer.js';
import { registerWriterMetrics } from './telemetry/writer/writer-metrics.js';

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

/** Everything a route needs, built once per app. */
export type Services = AppDependencies & {
  db: DatabaseHandle['db'];
  authenticator: Authenticator;
  resolver: ApiKeyResolver;
  lastUsed: LastUsedTracker;
  loginLimiter: LoginLimiter;
  metrics: Metrics;
  providers: ProviderRegistry;
  routes: RouteStore;
  prices: PriceStore;
  orgProviders: OrgProviderStore;
  limits: LimitGuard;
  cache: ResponseCache;
  batchWriter: BatchWriter;
  recorder: GatewayRecorder;
  ingestWriter: IngestWriter;
  ingest: IngestService;
  liveFeed: LiveFeed;
  alertEvaluator: AlertEvaluator;
  /** Scheduled backups of the embedded database, when BACKUP_DIR is set. */
  backups: BackupScheduler | undefined;
};

export type App = FastifyInstance & { services: Services };
export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

const REQUEST_ID_HEADER = 'x-switchyard-request-id';
const SESSION_SWEEP_INTERVAL_MS = 3600_000;
const ALERT_SHUTDOWN_GRACE_MS = 2_000;
const CLIENT_REQUEST_ID = /^[\w.:-]{1,64}$/;

// Never log what authenticates someone, wherever a serializer might put it.
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers.cookie',
  '*.password',
  '*.secret',
  '*.apiKey',
];

export async function buildApp(dependencies: AppDependencies): Promise<App> {
  const { config, database, kv, clock } = dependencies;
  const fastify = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      ...(dependencies.logStream ? { stream: dependencies.logStream } : {}),
    },
    bodyLimit: config.bodyLimitBytes,
    // A request must arrive whole within this time: a client trickling its body cannot hold a socket.
    requestTimeout: config.requestTimeoutMs,
    http: {
      headersTimeout: config.requestTimeoutMs,
      // How often Node looks for requests past their time (its default, 30 s, would double the bound).
      connectionsCheckingInterval: Math.min(5_000, config.requestTimeoutMs),
    },
    trustProxy: config.trustProxy,
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    requestIdHeader: false,
    genReqId: (request) => {
      const fromClient = request.headers[REQUEST_ID_HEADER];
      return typeof fromClient === 'string' && CLIENT_REQUEST_ID.test(fromClient) ? fromClient : randomUUID();
    },
    forceCloseConnections: 'idle',
  });
  fastify.setValidatorCompiler(validatorCompiler);
  fastify.setSerializerCompiler(serializerCompiler);
  fastify.setErrorHandler(handleError);

  const resolver = new ApiKeyResolver({ db: database.db, kv, clock });
  await resolver.start();
  const lastUsed = new LastUsedTracker({ db: database.db });
  // One keep-alive connection pool per upstream origin, shared by every request.
  const upstreamOptions = {
    keepAliveTimeout: 30_000,
    // No cap on connections per upstream: long streams run concurrently, and a cap would queue them.
    connections: null,
    headersTimeout: 300_000,
    bodyTimeout: 300_000,
  };
  const upstreamAgent = new Agent(upstreamOptions);
  // What org admins type (provider base URLs, webhooks) reaches only public addresses, unless allowed.
  const tenantAgent = config.allowPrivateUrls ? upstreamAgent : createPublicOnlyAgent(upstreamOptions);
  const metrics = createMetrics();
  const liveFeed = new LiveFeed({ kv, log: fastify.log });
  await liveFeed.start();
  const batchWriter = new BatchWriter({
    db: database.db,
    log: fastify.log,
    onCommitted: (batch) => liveFeed.publish(batch),
  });
  const routeStore = new RouteStore({ db: database.db, kv, clock });
  await routeStore.start();
  const priceStore = new PriceStore({ db: database.db, kv, clock });
  await priceStore.start();
  const serverProviders = new ProviderRegistry(providersFromConfig(config, upstreamAgent));
  const orgProviders = new OrgProviderStore({
    db: database.db,
    kv,
    clock,
    secretKey: config.secretKey,
    dispatcher: tenantAgent,
    serverWide: serverProviders,
  });
  await orgProviders.start();
  registerWriterMetrics(metrics.registry, batchWriter);
  const ingestWriter = new IngestWriter({
    db: database.db,
    prices: priceStore,
    log: fastify.log,
    concurrency: database.kind === 'pglite' ? 1 : 2,
    onCommitted: (batch) => liveFeed.publish(batch),
  });
  const limits = new LimitGuard({ kv, db: database.db, clock, log: fastify.log, registry: metrics.registry });
  const alertWebhook = new AlertWebhook({ log: fastify.log, tenantDispatcher: tenantAgent });
  const alertEvaluator = new AlertEvaluator({
    db: database.db,
    limits,
    notifier: new AlertNotifier({
      db: database.db,
      webhook: alertWebhook,
      defaultWebhookUrl: config.alertWebhookUrl,
      registry: metrics.registry,
    }),
    clock,
    log: fastify.log,
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
          log: fastify.log,
          registry: metrics.registry,
        })
      : undefined;
  const services: Services = {
    ...dependencies,
    db: database.db,
    resolver,
    lastUsed,
    authenticator: new Authenticator({
      db: database.db,
      resolver,
      tracker: lastUsed,
      clock,
      secretKey: config.secretKey,
    }),
    loginLimiter: new LoginLimiter(kv),
    metrics,
    providers: serverProviders,
    routes: routeStore,
    prices: priceStore,
    orgProviders,
    limits,
    cache: createResponseCache(kv),
    batchWriter,
    recorder: new GatewayRecorder({ writer: batchWriter, metrics: new CallMetrics(metrics.registry) }),
    ingestWriter,
    ingest: new IngestService({ writer: ingestWriter, kv, log: fastify.log, registry: metrics.registry }),
    liveFeed,
    alertEvaluator,
    backups,
  };
  const app = Object.assign(fastify, { services }) as App;

  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  // While shutting down, answer in-flight requests with `Connection: close`: a keep-alive socket that
  // goes idle after close() began would otherwise hold the process open until its timeout.
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (draining) reply.header('connection', 'close');
  });
  const sweeper = setInterval(
    () =>
      void Promise.all([
        deleteExpiredSessions(database.db, clock.now()).catch((error) =>
          app.log.warn({ err: error }, 'session sweep failed'),
        ),
        pruneIngestState(database.db, clock.now()).catch((error) =>
          app.log.warn({ err: error }, 'pruning old ingest envelopes failed'),
        ),
        pruneAlertEvents(database.db, clock.now()).catch((error) =>
          app.log.warn({ err: error }, 'pruning old alert events failed'),
        ),
      ]),
    SESSION_SWEEP_INTERVAL_MS,
  );
  sweeper.unref();
  alertEvaluator.start();
  backups?.start();
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    // A backup in progress holds the database's session: let it finish and write its file.
    await backups?.stop();
    // First: a pass in progress records what it sent while the database is still open. A webhook
    // that does not answer within the grace is given up on, so the records below still get written.
    const evaluatorStopped = alertEvaluator.stop();
    await Promise.race([evaluatorStopped, sleep(ALERT_SHUTDOWN_GRACE_MS, undefined, { ref: false })]);
    alertWebhook.abortAll();
    await evaluatorStopped;
    await resolver.stop();
    await routeStore.stop();
    await priceStore.stop();
    await orgProviders.stop();
    await upstreamAgent.close();
    if (tenantAgent !== upstreamAgent) await tenantAgent.close();
    await ingestWriter.stop();
    // Last: every call answered above is written before the database closes.
    await batchWriter
      .stop()
      .catch((error) => app.log.error({ err: error, lost: batchWriter.buffered }, 'could not write the last records'));
    await lastUsed.stop().catch((error) => app.log.error({ err: error }, 'could not write last-used times'));
    await liveFeed.stop();
  });

  await app.register(fastifyCookie);
  registerSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        'img-src': ["'self'", 'data:'],
        'script-src': ["'self'"],
        'style-src': ["'self'", "'unsafe-inline'"],
        // Self-hosted servers are often reached over plain http on a LAN address; upgrading their own
        // assets to https there would break the dashboard.
        upgradeInsecureRequests: config.publicUrl?.startsWith('https://') ? [] : null,
      },
    },
  });
  await app.register(fastifyCors, {
    origin: config.corsOrigins.length ? config.corsOrigins : false,
    credentials: true,
    exposedHeaders: [REQUEST_ID_HEADER, 'x-switchyard-provider', 'x-switchyard-cache', 'x-switchyard-attempts'],
  });
  registerMetrics(app, { metrics: services.metrics, token: config.metricsToken });
  registerAccessControl(app, services.authenticator);
  registerJsonDepthGuard(app);
  await registerDocs(app);

  const routes = app.withTypeProvider<ZodTypeProvider>();
  registerHealthRoutes(routes, services);
  registerAuthRoutes(routes, services);
  registerOrgRoutes(routes, services);
  registerKeyRoutes(routes, services);
  registerMemberRoutes(routes, services);
  registerInvitationRoutes(routes, services);
  registerOperatorRoutes(routes, services);
  registerModelRoutes(routes, services);
  registerChatCompletionsRoute(routes, services);
  registerEmbeddingsRoute(routes, services);
  registerMessagesRoute(routes, services);
  registerRouteAdminRoutes(routes, services);
  registerPriceAdminRoutes(routes, services);
  registerServerPriceRoutes(routes, services);
  registerProviderAdminRoutes(routes, services);
  registerUsageRoute(routes, services);
  registerAlertRoutes(routes, services);
  registerIngestRoute(routes, services);
  registerQueryRoutes(routes, services);
  await registerOtelRoute(app, services);
  registerLiveRoute(routes, services);
  await registerDashboard(app);
  registerNotFound(app);
  return app;
}
