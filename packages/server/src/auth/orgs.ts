import { effectiveOrgLimits, type Org, type OrgLimits, type Plan, type Role } from '@switchyard/shared';
import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { memberships, organizations } from '../db/schema.js';
import { randomBase62 } from './secrets.js';

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

/** Creates an org with a unique slug derived from its name (`acme`, then `acme-x7k2`). */
export async function createOrg(db: Database, options: { name: string; plan?: Plan; slug?: string }): Promise<OrgRow> {
  const base = options.slug ?? slugify(options.name);
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 ? base : `${base}-${randomBase62(4).toLowerCase()}`;
    const [row] = await db
      .insert(organizations)
      .values({ name: options.name, slug, plan: options.plan ?? 'free' })
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

export async function updateOrg(
  db: Database,
  orgId: string,
  changes: { name?: string; plan?: Plan; limits?: Partial<OrgLimits>; logPayloads?: boolean },
): Promise<OrgRow | undefined> {
  const current = await findOrgById(db, orgId);
  if (!current) return undefined;
  const [row] = await db
    .update(organizations)
    .set({
      ...(changes.name ? { name: changes.name } : {}),
      ...(changes.plan ? { plan: changes.plan } : {}),
      ...(changes.logPayloads === undefined ? {} : { logPayloads: changes.logPayloads }),
      ...(changes.limits ? { limitOverrides: { ...current.limitOverrides, ...changes.limits } } : {}),
    })
    .where(and(eq(organizations.id, orgId)))
    .returning();
  return row;
}

export function toPublicOrg(row: OrgRow): Org {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    plan: row.plan,
    limits: effectiveOrgLimits(row.plan, row.limitOverrides as Partial<OrgLimits>),
    logPayloads: row.logPayloads,
    createdAt: row.createdAt.toISOString(),
  };
}
