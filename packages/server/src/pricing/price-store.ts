import {
  findPrice,
  type ModelPrice,
  overridesInMatchOrder,
  type PriceOverride,
  type PriceOverrideBody,
  toModelPrice,
} from '@switchyard/shared';
import { and, asc, eq } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { modelPriceOverrides, serverPriceOverrides } from '../db/schema.js';
import type { Kv } from '../kv/kv.js';
import { OrgCache } from '../kv/org-cache.js';

type PriceRow = typeof modelPriceOverrides.$inferSelect | typeof serverPriceOverrides.$inferSelect;

export const PRICES_CHANGED_CHANNEL = 'prices:changed';
export const SERVER_PRICES_CHANGED_CHANNEL = 'server-prices:changed';
// The server's prices are one value, cached under one key.
const SERVER = 'server';

/**
 * How one org's gateway calls are costed. A call through the org's own provider credentials pays the
 * org's own prices; a call through the server-wide providers spends the operator's keys, so it pays
 * the operator's prices, which no org can lower.
 */
export type CallPricing = { priceOf(model: string): ModelPrice | undefined };

function toPublicOverride(row: PriceRow): PriceOverride {
  return {
    id: row.id,
    model: row.model,
    input: row.input,
    output: row.output,
    ...(row.cachedInput === null ? {} : { cachedInput: row.cachedInput }),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const asTable = (overrides: PriceOverride[]) => overridesInMatchOrder(overrides).map(toModelPrice);

/**
 * Price overrides, stored in Postgres and read on the hot path from caches that every replica drops
 * on a change: each org's own, and the operator's for the server-wide providers.
 */
export class PriceStore {
  readonly #db: Database;
  readonly #clock: Clock;
  /** Per org: its overrides as price-table entries, in match order (for `findPrice`). */
  readonly #orgCache: OrgCache<readonly ModelPrice[]>;
  readonly #serverCache: OrgCache<readonly ModelPrice[]>;

  constructor(options: { db: Database; kv: Kv; clock: Clock }) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#orgCache = new OrgCache({
      kv: options.kv,
      clock: options.clock,
      channel: PRICES_CHANGED_CHANNEL,
      load: async (orgId) => asTable(await this.list(orgId)),
    });
    this.#serverCache = new OrgCache({
      kv: options.kv,
      clock: options.clock,
      channel: SERVER_PRICES_CHANGED_CHANNEL,
      load: async () => asTable(await this.listServer()),
    });
  }

  async start(): Promise<void> {
    await this.#orgCache.start();
    await this.#serverCache.start();
  }

  async stop(): Promise<void> {
    await this.#orgCache.stop();
    await this.#serverCache.stop();
  }

  /** The org's overrides as price-table entries, in match order: what its ingested telemetry is costed with. */
  forOrg(orgId: string): Promise<readonly ModelPrice[]> {
    return this.#orgCache.get(orgId);
  }

  /** `ownsModel` tells a model of the org's own provider credentials from one of the server's. */
  async pricingFor(options: { orgId: string; ownsModel: (model: string) => boolean }): Promise<CallPricing> {
    const [own, server] = await Promise.all([this.#orgCache.get(options.orgId), this.#serverCache.get(SERVER)]);
    return { priceOf: (model) => findPrice(model, options.ownsModel(model) ? own : server) };
  }

  async list(orgId: string): Promise<PriceOverride[]> {
    const rows = await this.#db
      .select()
      .from(modelPriceOverrides)
      .where(eq(modelPriceOverrides.orgId, orgId))
      .orderBy(asc(modelPriceOverrides.model));
    return rows.map(toPublicOverride);
  }

  /** Sets the org's price for `body.model`, replacing the one it had. */
  async put(orgId: string, body: PriceOverrideBody): Promise<PriceOverride> {
    const values = this.#values(body);
    const [row] = await this.#db
      .insert(modelPriceOverrides)
      .values({ orgId, model: body.model, ...values })
      .onConflictDoUpdate({ target: [modelPriceOverrides.orgId, modelPriceOverrides.model], set: values })
      .returning();
    await this.#orgCache.invalidate(orgId);
    return toPublicOverride(row as PriceRow);
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const rows = await this.#db
      .delete(modelPriceOverrides)
      .where(and(eq(modelPriceOverrides.orgId, orgId), eq(modelPriceOverrides.id, id)))
      .returning({ id: modelPriceOverrides.id });
    if (rows.length) await this.#orgCache.invalidate(orgId);
    return rows.length > 0;
  }

  async listServer(): Promise<PriceOverride[]> {
    const rows = await this.#db.select().from(serverPriceOverrides).orderBy(asc(serverPriceOverrides.model));
    return rows.map(toPublicOverride);
  }

  /** Sets the operator's price for `body.model` on the server-wide providers, for every org. */
  async putServer(body: PriceOverrideBody): Promise<PriceOverride> {
    const values = this.#values(body);
    const [row] = await this.#db
      .insert(serverPriceOverrides)
      .values({ model: body.model, ...values })
      .onConflictDoUpdate({ target: serverPriceOverrides.model, set: values })
      .returning();
    await this.#serverCache.invalidate(SERVER);
    return toPublicOverride(row as PriceRow);
  }

  async deleteServer(id: string): Promise<boolean> {
    const rows = await this.#db
      .delete(serverPriceOverrides)
      .where(eq(serverPriceOverrides.id, id))
      .returning({ id: serverPriceOverrides.id });
    if (rows.length) await this.#serverCache.invalidate(SERVER);
    return rows.length > 0;
  }

  #values(body: PriceOverrideBody) {
    return {
      input: body.input,
      output: body.output,
      cachedInput: body.cachedInput ?? null,
      updatedAt: new Date(this.#clock.now()),
    };
  }
}
