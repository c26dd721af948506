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
import { OrgCache } from '../kv/org-cache.js';

type PriceRow = typeof modelPriceOverrides.$inferSelect;

export const PRICES_CHANGED_CHANNEL = 'prices:changed';

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
  readonly #clock: Clock;
  /** Per org: its overrides as price-table entries, in match order (for `findPrice`). */
  readonly #cache: OrgCache<readonly ModelPrice[]>;

  constructor(options: { db: Database; kv: Kv; clock: Clock }) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#cache = new OrgCache({
      kv: options.kv,
      clock: options.clock,
      channel: PRICES_CHANGED_CHANNEL,
      load: async (orgId) => overridesInMatchOrder(await this.list(orgId)).map(toModelPrice),
    });
  }

  start(): Promise<void> {
    return this.#cache.start();
  }

  stop(): Promise<void> {
    return this.#cache.stop();
  }

  /** The org's overrides as price-table entries, in match order (for `findPrice`). */
  forOrg(orgId: string): Promise<readonly ModelPrice[]> {
    return this.#cache.get(orgId);
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

  #changed(orgId: string): Promise<void> {
    return this.#cache.invalidate(orgId);
  }
}
