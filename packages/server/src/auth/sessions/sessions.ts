import { and, eq, gt, lt } from 'drizzle-orm';
import { hmacBase64Url, randomToken, sha256Hex } from '../../crypto/secrets.js';
import type { Database } from '../../db/client.js';
import { sessions, users } from '../../db/schema.js';

export const SESSION_COOKIE = 'sy_session';
export const CSRF_COOKIE = 'sy_csrf';
export const CSRF_HEADER = 'x-csrf-token';
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

export async function createSession(
  db: Database,
  options: { userId: string; activeOrgId: string | null; now: number },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomToken();
  const expiresAt = new Date(options.now + SESSION_TTL_MS);
  await db.insert(sessions).values({
    tokenHash: sha256Hex(token),
    userId: options.userId,
    activeOrgId: options.activeOrgId,
    expiresAt,
  });
  return { token, expiresAt };
}

export type ActiveSession = {
  tokenHash: string;
  userId: string;
  email: string;
  name: string | null;
  isOperator: boolean;
  activeOrgId: string | null;
  expiresAt: Date;
};

/** The unexpired session a cookie stands for; slides the expiry forward once half of it has passed. */
export async function resolveSession(db: Database, token: string, now: number): Promise<ActiveSession | undefined> {
  const tokenHash = sha256Hex(token);
  const [row] = await db
    .select({
      tokenHash: sessions.tokenHash,
      userId: sessions.userId,
      email: users.email,
      name: users.name,
      isOperator: users.isOperator,
      activeOrgId: sessions.activeOrgId,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, new Date(now))));
  if (!row) return undefined;
  if (row.expiresAt.getTime() - now < SESSION_TTL_MS / 2) {
    row.expiresAt = new Date(now + SESSION_TTL_MS);
    await db.update(sessions).set({ expiresAt: row.expiresAt }).where(eq(sessions.tokenHash, tokenHash));
  }
  return row;
}

export async function setActiveOrg(db: Database, tokenHash: string, orgId: string): Promise<void> {
  await db.update(sessions).set({ activeOrgId: orgId }).where(eq(sessions.tokenHash, tokenHash));
}

export async function deleteSession(db: Database, token: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.tokenHash, sha256Hex(token)));
}

export async function deleteExpiredSessions(db: Database, now: number): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date(now)));
}

/** Bound to the session and the server secret, so it needs no storage and can't be guessed cross-site. */
export function csrfTokenFor(secretKey: string, sessionToken: string): string {
  return hmacBase64Url(secretKey, `csrf:${sessionToken}`);
}
