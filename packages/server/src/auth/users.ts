import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { users } from '../db/schema.js';
import { hashPassword } from './sessions/passwords.js';

export type UserRow = typeof users.$inferSelect;

/** Returns undefined when the email is taken. The installation's first user is its operator. */
export async function createUser(
  db: Database,
  options: { email: string; password: string; name?: string | null; passwordCost?: number },
): Promise<UserRow | undefined> {
  const passwordHash = await hashPassword(options.password, options.passwordCost);
  const [row] = await db
    .insert(users)
    .values({
      email: options.email.toLowerCase(),
      name: options.name ?? null,
      passwordHash,
      isOperator: sql`not exists (select 1 from ${users})`,
    })
    .onConflictDoNothing({ target: users.email })
    .returning();
  return row;
}

export async function findUserByEmail(db: Database, email: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.email, email.toLowerCase()));
  return row;
}

export async function findUserById(db: Database, id: string): Promise<UserRow | undefined> {
  const [row] = await db.select().from(users).where(eq(users.id, id));
  return row;
}

/** Makes someone an instance operator, or not; undefined when there is no such user. */
export async function setOperator(
  db: Database,
  options: { email: string; isOperator: boolean },
): Promise<UserRow | undefined> {
  const [row] = await db
    .update(users)
    .set({ isOperator: options.isOperator })
    .where(eq(users.email, options.email.toLowerCase()))
    .returning();
  return row;
}

export async function listOperators(db: Database): Promise<UserRow[]> {
  return db.select().from(users).where(eq(users.isOperator, true)).orderBy(asc(users.createdAt), asc(users.email));
}
