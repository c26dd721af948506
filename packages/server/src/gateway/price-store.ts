import {
  type ModelPrice,
  overridesInMatchOrder,
  type PriceOverride,
  type PriceOverrideBody,
  toModelPrice,
} from '@switchyard/shared';
import { and, asc, eq } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { modelPriceOverrides } from '../db/schema.js';
import type { Kv } from '../kv/kv.js';

type PriceRow = typeof modelPriceOverrides.$inferSelect;

export const PRICES_CHANGED_CHANNEL = 'prices:changed';
// Changes reach other replicas through the kv at once; the TTL only bounds a missed message.
const CACHE_TTL_MS = 60_000;

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

/** An org's price overrides: stored in Postgres, read on the hot path from a per-org cache. */
export class PriceStore {
  readonly #db: Database;
  readonly #kv: Kv;
  readonly #clock: Clock;
  readonly #cache = new Map<string, { prices: readonly ModelPrice[]; expiresAt: number }>();
  #unsubscribe: (() => Promise<void>) | undefined;

  constructor(options: { db: Database; kv: Kv; clock: Clock }) {
    this.#db = options.db;
    this.#kv = options.kv;
    this.#clock = options.clock;
  }

  async start(): Promise<void> {
    this.#unsubscribe = await this.#kv.subscribe(PRICES_CHANGED_CHANNEL, (orgId) => this.#cache.delete(orgId));
    this.#kv.onReconnect(() => this.#cache.clear());
  }

  async stop(): Promise<void> {
    await this.#unsubscribe?.();
  }

  /** The org's overrides as price-table entries, in match order (for `findPrice`). */
  async forOrg(orgId: string): Promise<readonly ModelPrice[]> {
    const cached = this.#cache.get(orgId);
    if (cached && cached.expiresAt > this.#clock.now()) return cached.prices;
    const prices = overridesInMatchOrder(await this.list(orgId)).map(toModelPrice);
    this.#cache.set(orgId, { prices, expiresAt: this.#clock.now() + CACHE_TTL_MS });
    return prices;
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
    const values = {
      input: body.input,
      output: body.output,
      cachedInput: body.cachedInput ?? null,
      updatedAt: new Date(this.#clock.now()),
    };
    const [row] = await this.#db
      .insert(modelPriceOverrides)
      .values({ orgId, model: body.model, ...values })
      .onConflictDoUpdate({ target: [modelPriceOverrides.orgId, modelPriceOverrides.model], set: values })
      .returning();
    await this.#changed(orgId);
    return toPublicOverride(row as PriceRow);
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const rows = await this.#db
      .delete(modelPriceOverrides)
      .where(and(eq(modelPriceOverrides.orgId, orgId), eq(modelPriceOverrides.id, id)))
      .returning({ id: modelPriceOverrides.id });
    if (rows.length) await this.#changed(orgId);
    return rows.length > 0;
  }

  async #changed(orgId: string): Promise<void> {
    this.#cache.delete(orgId);
    await this.#kv.publish(PRICES_CHANGED_CHANNEL, orgId);
  }
}
