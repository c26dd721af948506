import type { Invitation, Role } from '@switchyard/shared';
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { randomToken, sha256Hex } from '../crypto/secrets.js';
import type { Database } from '../db/client.js';
import { invitations, memberships, users } from '../db/schema.js';

const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;

type InvitationRow = typeof invitations.$inferSelect;

/** Whether someone with this email already belongs to the org. */
export async function isMemberByEmail(db: Database, options: { orgId: string; email: string }): Promise<boolean> {
  const rows = await db
    .select({ userId: memberships.userId })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(and(eq(memberships.orgId, options.orgId), eq(users.email, options.email)));
  return rows.length > 0;
}

/**
 * A new invitation, replacing any still-open one for the same email in the org: its token was
 * shown once, so inviting again is how an admin resends a lost link, and one person has one link.
 */
export async function createInvitation(
  db: Database,
  options: { orgId: string; email: string; role: Role; invitedBy: string | null; now: Date },
): Promise<{ invitation: InvitationRow; token: string }> {
  const token = randomToken();
  await db
    .delete(invitations)
    .where(
      and(eq(invitations.orgId, options.orgId), eq(invitations.email, options.email), isNull(invitations.acceptedAt)),
    );
  const [invitation] = await db
    .insert(invitations)
    .values({
      orgId: options.orgId,
      email: options.email,
      role: options.role,
      invitedBy: options.invitedBy,
      tokenHash: sha256Hex(token),
      expiresAt: new Date(options.now.getTime() + INVITATION_TTL_MS),
    })
    .returning();
  if (!invitation) throw new Error('invitation insert returned no row');
  return { invitation, token };
}

/** The open, unexpired invitation a token stands for. */
export async function findUsableInvitation(db: Database, token: string, now: Date): Promise<InvitationRow | undefined> {
  const [row] = await db
    .select()
    .from(invitations)
    .where(
      and(eq(invitations.tokenHash, sha256Hex(token)), isNull(invitations.acceptedAt), gt(invitations.expiresAt, now)),
    );
  return row;
}

/** Marks an invitation used; false when someone else used it first. */
export async function acceptInvitation(db: Database, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(invitations)
    .set({ acceptedAt: now })
    .where(and(eq(invitations.id, id), isNull(invitations.acceptedAt)))
    .returning({ id: invitations.id });
  return rows.length > 0;
}

export async function listInvitations(db: Database, orgId: string): Promise<Invitation[]> {
  const rows = await db
    .select()
    .from(invitations)
    .where(eq(invitations.orgId, orgId))
    .orderBy(desc(invitations.createdAt));
  return rows.map(toPublicInvitation);
}

export async function deleteInvitation(db: Database, orgId: string, id: string): Promise<boolean> {
  const rows = await db
    .delete(invitations)
    .where(and(eq(invitations.orgId, orgId), eq(invitations.id, id)))
    .returning({ id: invitations.id });
  return rows.length > 0;
}

export function toPublicInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    acceptedAt: row.acceptedAt?.toISOString() ?? null,
  };
}
