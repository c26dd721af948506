import type { Member, Role } from '@switchyard/shared';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { apiKeys, memberships, organizations, users } from '../db/schema.js';

export async function addMember(db: Database, options: { orgId: string; userId: string; role: Role }): Promise<void> {
  await db
    .insert(memberships)
    .values(options)
    .onConflictDoUpdate({ target: [memberships.orgId, memberships.userId], set: { role: options.role } });
}

/** Someone's role in an org, and whether the operator suspended that org. */
export async function findMembership(db: Database, orgId: string, userId: string) {
  const [row] = await db
    .select({
      orgId: memberships.orgId,
      userId: memberships.userId,
      role: memberships.role,
      orgSuspended: sql<boolean>`${organizations.suspendedAt} is not null`,
      orgServerProviders: organizations.serverProviders,
    })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.orgId))
    .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)));
  return row;
}

export async function listMembers(db: Database, orgId: string): Promise<Member[]> {
  const rows = await db
    .select({
      userId: users.id,
      email: users.email,
      name: users.name,
      role: memberships.role,
      joinedAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(eq(memberships.orgId, orgId))
    .orderBy(asc(memberships.createdAt), asc(users.email));
  return rows.map((row) => ({ ...row, joinedAt: row.joinedAt.toISOString() }));
}

export async function countOwners(db: Database, orgId: string): Promise<number> {
  const [row] = await db
    .select({ owners: sql<number>`count(*)::int` })
    .from(memberships)
    .where(and(eq(memberships.orgId, orgId), eq(memberships.role, 'owner')));
  return row?.owners ?? 0;
}

export async function setMemberRole(db: Database, options: { orgId: string; userId: string; role: Role }) {
  const [row] = await db
    .update(memberships)
    .set({ role: options.role })
    .where(and(eq(memberships.orgId, options.orgId), eq(memberships.userId, options.userId)))
    .returning();
  return row;
}

/**
 * Takes `userId` out of the org and revokes in the same transaction the live keys they created in it,
 * which carried their authority (their keys in other orgs stay). Returns the revoked keys' secret
 * hashes, for the caller to broadcast, or null when they were not a member.
 */
export async function removeMember(
  db: Database,
  options: { orgId: string; userId: string; now: Date },
): Promise<string[] | null> {
  const { orgId, userId } = options;
  return db.transaction(async (transaction) => {
    const removed = await transaction
      .delete(memberships)
      .where(and(eq(memberships.orgId, orgId), eq(memberships.userId, userId)))
      .returning({ userId: memberships.userId });
    if (removed.length === 0) return null;
    const revoked = await transaction
      .update(apiKeys)
      .set({ revokedAt: options.now })
      .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.createdBy, userId), isNull(apiKeys.revokedAt)))
      .returning({ secretHash: apiKeys.secretHash });
    return revoked.map((row) => row.secretHash);
  });
}
