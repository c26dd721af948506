import { effectiveOrgLimits, limitsInForce, type Org, type OrgLimits, type Plan, type Role } from '@switchyard/shared';
import { asc, eq } from 'drizzle-orm';
import { randomBase62 } from '../crypto/secrets.js';
import type { Database } from '../db/client.js';
import { memberships, organizations } from '../db/schema.js';

export type OrgRow = typeof organizations.$inferSelect;

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return slug || 'org';
}

/**
 * Creates an org with a unique slug derived from its name (`acme`, then `acme-x7k2`). The plan is the
 * caller's to say: DEFAULT_PLAN for orgs others make, none of the limits for the operator's first.
 */
export async function createOrg(
  db: Database,
  options: { name: string; plan: Plan; slug?: string; serverProviders?: boolean },
): Promise<OrgRow> {
  const base = options.slug ?? slugify(options.name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${randomBase62(4).toLowerCase()}`;
    const [row] = await db
      .insert(organizations)
      .values({ name: options.name, slug, plan: options.plan, serverProviders: options.serverProviders ?? false })
      .onConflictDoNothing({ target: organizations.slug })
      .returning();
    if (row) return row;
  }
  throw new Error(`could not find a free slug for org "${options.name}"`);
}

export async function findOrgBySlug(db: Database, slug: string): Promise<OrgRow | undefined> {
  const [row] = await db.select().from(organizations).where(eq(organizations.slug, slug));
  return row;
}

export async function findOrgById(db: Database, id: string): Promise<OrgRow | undefined> {
  const [row] = await db.select().from(organizations).where(eq(organizations.id, id));
  return row;
}

export async function listOrgsOfUser(db: Database, userId: string): Promise<Array<OrgRow & { role: Role }>> {
  const rows = await db
    .select({ org: organizations, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organizations.createdAt));
  return rows.map((row) => ({ ...row.org, role: row.role }));
}

/** What an org's own admins change: its name, its payload setting and its own (lower) limits. */
export async function updateOrg(
  db: Database,
  orgId: string,
  changes: { name?: string; selfLimits?: Partial<OrgLimits>; logPayloads?: boolean },
): Promise<OrgRow | undefined> {
  const current = await findOrgById(db, orgId);
  if (!current) return undefined;
  return setColumns(db, orgId, {
    ...(changes.name ? { name: changes.name } : {}),
    ...(changes.logPayloads === undefined ? {} : { logPayloads: changes.logPayloads }),
    ...(changes.selfLimits ? { selfLimits: mergeSelfLimits(current.selfLimits, changes.selfLimits) } : {}),
  });
}

/** Updates what `columns` holds; a change of nothing reads the org as it is. */
async function setColumns(
  db: Database,
  orgId: string,
  columns: Partial<typeof organizations.$inferInsert>,
): Promise<OrgRow | undefined> {
  if (Object.keys(columns).length === 0) return findOrgById(db, orgId);
  const [row] = await db.update(organizations).set(columns).where(eq(organizations.id, orgId)).returning();
  return row;
}

/** A number sets the org's own limit; null takes it away, so the plan's applies again. */
function mergeSelfLimits(current: Record<string, number>, changes: Partial<OrgLimits>): Record<string, number> {
  const merged = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete merged[name];
    else if (value !== undefined) merged[name] = value;
  }
  return merged;
}

/**
 * What only the operator changes: the plan, the overrides above or below it, the server's providers,
 * the suspension.
 */
export async function updateOrgAsOperator(
  db: Database,
  orgId: string,
  changes: {
    plan?: Plan;
    limitOverrides?: Partial<OrgLimits>;
    /** Whether the org's calls may use the server-wide provider keys under SHARED_PROVIDERS=first. */
    serverProviders?: boolean;
    /** true suspends the org from `now` (with `suspendedReason`), false lifts it. */
    suspended?: boolean;
    suspendedReason?: string;
    now: Date;
  },
): Promise<OrgRow | undefined> {
  const { suspended } = changes;
  return setColumns(db, orgId, {
    ...(changes.plan ? { plan: changes.plan } : {}),
    ...(changes.limitOverrides ? { limitOverrides: changes.limitOverrides } : {}),
    ...(changes.serverProviders === undefined ? {} : { serverProviders: changes.serverProviders }),
    ...(suspended === undefined
      ? {}
      : {
          suspendedAt: suspended ? changes.now : null,
          suspendedReason: suspended ? (changes.suspendedReason ?? null) : null,
        }),
  });
}

/** The most the org may use: its plan with the operator's overrides. */
export function ceilingOf(row: OrgRow): OrgLimits {
  return effectiveOrgLimits(row.plan, row.limitOverrides as Partial<OrgLimits>);
}

export function limitsOf(row: OrgRow): OrgLimits {
  return limitsInForce({
    plan: row.plan,
    operatorOverrides: row.limitOverrides as Partial<OrgLimits>,
    selfLimits: row.selfLimits,
  });
}

export function toPublicOrg(row: OrgRow): Org {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    plan: row.plan,
    limits: limitsOf(row),
    planLimits: ceilingOf(row),
    selfLimits: row.selfLimits,
    logPayloads: row.logPayloads,
    suspended: row.suspendedAt ? { at: row.suspendedAt.toISOString(), reason: row.suspendedReason } : null,
    createdAt: row.createdAt.toISOString(),
  };
}
