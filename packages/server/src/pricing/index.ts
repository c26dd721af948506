import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { errorHandlerFor } from '../db/http-errors.js';
import { type Domain, routesOf } from '../http/domain.js';
import type { Kv } from '../kv/kv.js';
import { PriceStore } from './price-store.js';
import { registerPriceAdminRoutes } from './routes/price-admin-routes.js';
import { registerServerPriceRoutes } from './routes/server-price-routes.js';

export type { CallPricing, PriceStore } from './price-store.js';

/** What the pricing domain needs from the app. */
export type PricingDeps = { db: Database; kv: Kv; clock: Clock };

/**
 * What models cost: the built-in list, the operator's server-wide prices and each org's own. The
 * gateway costs calls with it, telemetry costs ingested generations.
 */
export type PricingDomain = Domain & { prices: PriceStore };

export async function pricingDomain(deps: PricingDeps): Promise<PricingDomain> {
  const prices = new PriceStore(deps);
  await prices.start();
  return {
    prices,
    plugin: routesOf(errorHandlerFor('api'), (app) => {
      registerPriceAdminRoutes(app, { prices });
      registerServerPriceRoutes(app, { prices });
    }),
    stop: () => prices.stop(),
  };
}
