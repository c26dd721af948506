import type { Route, RouteBody } from '@switchyard/shared';
import { and, asc, eq } from 'drizzle-orm';
import type { Clock } from '../clock.js';
import type { Database } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { routes } from '../db/schema.js';
import type { Kv } from '../kv/kv.js';

type RouteRow = typeof routes.$inferSelect;

export const ROUTES_CHANGED_CHANNEL = 'routes:changed';
// Changes reach other replicas through the kv at once; the TTL only bounds a missed message.
const CACHE_TTL_MS = 60_000;

export function toPublicRoute(row: RouteRow): Route {
  return {
    id: row.id,
    alias: row.alias,
    strategy: row.strategy,
    targets: row.targets,
    retry: row.retry,
    fallbackOn: row.fallbackOn,
    cache: row.cache,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** An org's routes: stored in Postgres, read on the hot path from a per-org cache. */
export class RouteStore {
  readonly #db: Database;
  readonly #kv: Kv;
  readonly #clock: Clock;
  readonly #cache = new Map<string, { byAlias: Map<string, Route>; expiresAt: number }>();
  #unsubscribe: (() => Promise<void>) | undefined;

  constructor(options: { db: Database; kv: Kv; clock: Clock }) {
    this.#db = options.db;
    this.#kv = options.kv;
    this.#clock = options.clock;
  }

  async start(): Promise<void> {
    this.#unsubscribe = await this.#kv.subscribe(ROUTES_CHANGED_CHANNEL, (orgId) => this.#cache.delete(orgId));
    this.#kv.onReconnect(() => this.#cache.clear());
  }

  async stop(): Promise<void> {
    await this.#unsubscribe?.();
  }

  /** The org's route for `alias`, or undefined. */
  async find(orgId: string, alias: string): Promise<Route | undefined> {
    const cached = this.#cache.get(orgId);
    if (cached && cached.expiresAt > this.#clock.now()) return cached.byAlias.get(alias);
    const rows = await this.#db.select().from(routes).where(eq(routes.orgId, orgId));
    const byAlias = new Map(rows.map((row) => [row.alias, toPublicRoute(row)]));
    this.#cache.set(orgId, { byAlias, expiresAt: this.#clock.now() + CACHE_TTL_MS });
    return byAlias.get(alias);
  }

  async list(orgId: string): Promise<Route[]> {
    const rows = await this.#db.select().from(routes).where(eq(routes.orgId, orgId)).orderBy(asc(routes.alias));
    return rows.map(toPublicRoute);
  }

  async get(orgId: string, id: string): Promise<Route | undefined> {
    const [row] = await this.#db
      .select()
      .from(routes)
      .where(and(eq(routes.orgId, orgId), eq(routes.id, id)));
    return row ? toPublicRoute(row) : undefined;
  }

  /** Returns undefined when the alias is taken in this org. */
  async create(orgId: string, body: RouteBody): Promise<Route | undefined> {
    const [row] = await this.#db
      .insert(routes)
      .values({ orgId, ...body })
      .onConflictDoNothing({ target: [routes.orgId, routes.alias] })
      .returning();
    if (row) await this.#changed(orgId);
    return row ? toPublicRoute(row) : undefined;
  }

  /** Undefined when there is no such route; 'alias_taken' when another route of the org has the alias. */
  async replace(orgId: string, id: string, body: RouteBody): Promise<Route | 'alias_taken' | undefined> {
    let row: RouteRow | undefined;
    try {
      [row] = await this.#db
        .update(routes)
        .set({ ...body, updatedAt: new Date(this.#clock.now()) })
        .where(and(eq(routes.orgId, orgId), eq(routes.id, id)))
        .returning();
    } catch (error) {
      if (isUniqueViolation(error)) return 'alias_taken';
      throw error;
    }
    if (row) await this.#changed(orgId);
    return row ? toPublicRoute(row) : undefined;
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const rows = await this.#db
      .delete(routes)
      .where(and(eq(routes.orgId, orgId), eq(routes.id, id)))
      .returning({ id: routes.id });
    if (rows.length) await this.#changed(orgId);
    return rows.length > 0;
  }

  async #changed(orgId: string): Promise<void> {
    this.#cache.delete(orgId);
    await this.#kv.publish(ROUTES_CHANGED_CHANNEL, orgId);
  }
}
