import type { Route, RouteBody } from '@switchyard/shared';
import { and, asc, eq } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { routes } from '../../db/schema.js';
import type { Kv } from '../../kv/kv.js';
import { OrgCache } from '../../kv/org-cache.js';

type RouteRow = typeof routes.$inferSelect;

export const ROUTES_CHANGED_CHANNEL = 'routes:changed';

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
  readonly #clock: Clock;
  /** Per org: its routes by alias. */
  readonly #cache: OrgCache<Map<string, Route>>;

  constructor(options: { db: Database; kv: Kv; clock: Clock }) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#cache = new OrgCache({
      kv: options.kv,
      clock: options.clock,
      channel: ROUTES_CHANGED_CHANNEL,
      load: async (orgId) => {
        const rows = await this.#db.select().from(routes).where(eq(routes.orgId, orgId));
        return new Map(rows.map((row) => [row.alias, toPublicRoute(row)]));
      },
    });
  }

  start(): Promise<void> {
    return this.#cache.start();
  }

  stop(): Promise<void> {
    return this.#cache.stop();
  }

  /** The org's route for `alias`, or undefined. */
  async find(orgId: string, alias: string): Promise<Route | undefined> {
    return (await this.#cache.get(orgId)).get(alias);
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

  #changed(orgId: string): Promise<void> {
    return this.#cache.invalidate(orgId);
  }
}
