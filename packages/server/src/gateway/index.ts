import type { FastifyBaseLogger } from 'fastify';
import type { Registry } from 'prom-client';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { errorHandlerFor } from '../db/http-errors.js';
import { type Domain, routesOf } from '../http/domain.js';
import type { OutboundAgents } from '../http/outbound-agents.js';
import type { Kv } from '../kv/kv.js';
import type { PriceStore } from '../pricing/index.js';
import type { RecordSink } from '../telemetry/index.js';
import { createResponseCache } from './cache/response-cache.js';
import type { CallServices } from './gateway-call.js';
import { LimitGuard } from './limits/limit-guard.js';
import { OrgProviderStore } from './providers/org-providers.js';
import { ProviderRegistry, providersFromConfig } from './providers/provider-registry.js';
import { CallMetrics } from './recording/call-metrics.js';
import { GatewayRecorder } from './recording/call-recorder.js';
import { registerChatCompletionsRoute } from './routes/chat-completions-route.js';
import { registerCountTokensRoute } from './routes/count-tokens-route.js';
import { registerEmbeddingsRoute } from './routes/embeddings-route.js';
import { registerMessagesRoute } from './routes/messages-route.js';
import { registerModelListRoute, registerOrgModelRoute } from './routes/model-routes.js';
import { registerProviderAdminRoutes } from './routes/provider-admin-routes.js';
import { registerRouteAdminRoutes } from './routes/route-admin-routes.js';
import { registerUsageRoute } from './routes/usage-route.js';
import { RouteStore } from './routing/route-store.js';

export { periodStart } from './limits/budget-period.js';

/** How much a key or org has spent in its budget period: what alerts read of the gateway's limits. */
export type SpendReader = Pick<LimitGuard, 'spendThisPeriod'>;

/** What the gateway domain needs from the app. */
export type GatewayDeps = {
  db: Database;
  kv: Kv;
  clock: Clock;
  log: FastifyBaseLogger;
  registry: Registry;
  config: Pick<Config, 'providerKeys' | 'providerBaseUrls' | 'allowPrivateUrls'> & { secretKey: string };
  agents: Pick<OutboundAgents, 'upstream' | 'tenant'>;
  prices: PriceStore;
  /** Where each call's trace and generation are recorded. */
  records: RecordSink;
};

/** The `/v1` gateway (keys, limits, budgets, routing, fallbacks, cache, cost) and its `/api` admin. */
export type GatewayDomain = Domain & {
  /** The server-wide providers (from the environment). */
  providers: ProviderRegistry;
  limits: LimitGuard;
};

export async function gatewayDomain(deps: GatewayDeps): Promise<GatewayDomain> {
  const { db, kv, clock, log, registry, config } = deps;
  const routes = new RouteStore({ db, kv, clock });
  await routes.start();
  const providers = new ProviderRegistry(providersFromConfig(config, deps.agents.upstream));
  const orgProviders = new OrgProviderStore({
    db,
    kv,
    clock,
    secretKey: config.secretKey,
    dispatcher: deps.agents.tenant,
    serverWide: providers,
  });
  await orgProviders.start();
  const limits = new LimitGuard({ kv, db, clock, log, registry });
  const recorder = new GatewayRecorder({ records: deps.records, metrics: new CallMetrics(registry) });
  const call: CallServices = { routes, orgProviders, prices: deps.prices, limits, recorder };
  const cache = createResponseCache(kv);
  return {
    providers,
    limits,
    plugin: routesOf(errorHandlerFor('openai'), async (app) => {
      registerModelListRoute(app, { routes, providers });
      registerChatCompletionsRoute(app, { call, cache });
      registerEmbeddingsRoute(app, { call, cache });
      // Anthropic's SDK reads errors in Anthropic's shape.
      await app.register(
        routesOf(errorHandlerFor('anthropic'), (messages) => {
          registerMessagesRoute(messages, { call });
          registerCountTokensRoute(messages, { call });
        }),
      );
      await app.register(
        routesOf(errorHandlerFor('api'), (admin) => {
          registerOrgModelRoute(admin, { routes, providers });
          registerRouteAdminRoutes(admin, { routes, orgProviders });
          registerProviderAdminRoutes(admin, { orgProviders, config });
          registerUsageRoute(admin, { db, clock, limits });
        }),
      );
    }),
    stop: async () => {
      await routes.stop();
      await orgProviders.stop();
    },
  };
}
