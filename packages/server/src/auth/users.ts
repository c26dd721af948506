import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { users } from '../db/schema.js';
import { hashPassword } from './passwords.js';

export type UserRow = typeof users.$inferSelect;

/** Returns undefined when the email is taken. */
export async function createUser(
  db: Database,
  options: { email: string; password: string; name?: string | null; passwordCost?: number },
): Promise<UserRow | undefined> {
  const passwordHash = await hashPassword(options.password, options.passwordCost);
  const [row] = await db
    .insert(users)
    .values({ email: options.email.toLowerCase(), name: options.name ?? null, passwordHash })
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
