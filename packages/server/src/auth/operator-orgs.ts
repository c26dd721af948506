import type { OperatorOrg } from '@switchyard/shared';
import { and, desc, eq, gte, ilike, inArray, lt, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { memberships, organizations } from '../db/schema.js';
import { usageRollupsDaily } from '../db/telemetry-schema.js';
import { decodeCursor, encodeCursor } from '../http/cursor.js';
import { type OrgRow, toPublicOrg } from './orgs.js';

type Usage = OperatorOrg['usageThisMonth'];
const NO_USAGE: Usage = { requests: 0, errors: 0, tokens: 0, gatewaySpendUsd: 0, reportedSpendUsd: 0 };

/** Where this calendar month (UTC) began: the period of the orgs' monthly caps. */
export function monthStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/** Every org of the installation, newest first, with its members and this month's usage. */
export async function listOrgsForOperator(
  db: Database,
  options: { limit: number; cursor?: string; search?: string; now: Date },
): Promise<{ data: OperatorOrg[]; nextCursor: string | null }> {
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  const pattern = options.search ? `%${options.search.replace(/[\\%_]/g, '\\$&')}%` : undefined;
  const rows = await db
    .select()
    .from(organizations)
    .where(
      and(
        pattern ? or(ilike(organizations.name, pattern), ilike(organizations.slug, pattern)) : undefined,
        after
          ? or(
              lt(organizations.createdAt, after.time),
              and(eq(organizations.createdAt, after.time), lt(organizations.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(organizations.createdAt), desc(organizations.id))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    data: await describeOrgs(db, page, options.now),
    nextCursor: rows.length > options.limit && last ? encodeCursor({ time: last.createdAt, id: last.id }) : null,
  };
}

/** The orgs as the operator sees them: two grouped queries for the whole page, not two per org. */
export async function describeOrgs(db: Database, orgs: OrgRow[], now: Date): Promise<OperatorOrg[]> {
  if (orgs.length === 0) return [];
  const ids = orgs.map((org) => org.id);
  const [memberCounts, usage] = await Promise.all([
    db
      .select({ orgId: memberships.orgId, members: sql<number>`count(*)::int` })
      .from(memberships)
      .where(inArray(memberships.orgId, ids))
      .groupBy(memberships.orgId),
    db
      .select({
        orgId: usageRollupsDaily.orgId,
        requests: sql<number>`coalesce(sum(${usageRollupsDaily.requests}), 0)::float8`,
        errors: sql<number>`coalesce(sum(${usageRollupsDaily.errors}), 0)::float8`,
        tokens: sql<number>`coalesce(sum(${usageRollupsDaily.inputTokens} + ${usageRollupsDaily.outputTokens}), 0)::float8`,
        gatewaySpendUsd: sql<number>`coalesce(sum(${usageRollupsDaily.costUsd}) filter (where ${usageRollupsDaily.source} = 'gateway'), 0)::float8`,
        reportedSpendUsd: sql<number>`coalesce(sum(${usageRollupsDaily.costUsd}) filter (where ${usageRollupsDaily.source} <> 'gateway'), 0)::float8`,
      })
      .from(usageRollupsDaily)
      .where(and(inArray(usageRollupsDaily.orgId, ids), gte(usageRollupsDaily.bucketStart, monthStart(now))))
      .groupBy(usageRollupsDaily.orgId),
  ]);
  const membersOf = new Map(memberCounts.map((row) => [row.orgId, row.members]));
  const usageOf = new Map(usage.map(({ orgId, ...rest }) => [orgId, rest]));
  return orgs.map((org) => ({
    ...toPublicOrg(org),
    limitOverrides: org.limitOverrides,
    serverProviders: org.serverProviders,
    members: membersOf.get(org.id) ?? 0,
    usageThisMonth: usageOf.get(org.id) ?? NO_USAGE,
  }));
}
