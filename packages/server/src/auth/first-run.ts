import { sql } from 'drizzle-orm';
import { randomBase62 } from '../crypto/secrets.js';
import type { Database } from '../db/client.js';
import { organizations } from '../db/schema.js';
import { createApiKey } from './keys/api-keys.js';
import { addMember } from './members.js';
import { createOrg } from './orgs.js';
import { createUser } from './users.js';

export type FirstRunCredentials = { orgSlug: string; email: string; password: string; apiKey: string };

export const FIRST_ADMIN_EMAIL = 'admin@switchyard.local';
// Any constant; replicas starting together on an empty database take turns through it.
const BOOTSTRAP_LOCK_ID = 7_245_901_134;

/**
 * On an empty database: the operator's org (on the enterprise plan, whose limits are all unlimited,
 * and with the server's providers), its owner and one API key, returned so they can be shown once.
 * Returns undefined when any org exists, so a restart re-creates nothing.
 */
export async function bootstrapFirstRun(
  db: Database,
  options: { email?: string; password?: string; passwordCost?: number } = {},
): Promise<FirstRunCredentials | undefined> {
  return db.transaction(async (transaction) => {
    const tx = transaction as unknown as Database;
    await tx.execute(sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK_ID})`);
    const [anyOrg] = await tx.select({ id: organizations.id }).from(organizations).limit(1);
    if (anyOrg) return undefined;
    const email = options.email ?? FIRST_ADMIN_EMAIL;
    const password = options.password ?? randomBase62(20);
    // The operator's own org: no plan limits, and the server-wide provider keys are its to use.
    const org = await createOrg(tx, { name: 'Default', slug: 'default', plan: 'enterprise', serverProviders: true });
    const user = await createUser(tx, { email, password, name: 'Admin', passwordCost: options.passwordCost });
    if (!user) throw new Error(`a user ${email} exists but no org does; run "switchyard org create" instead`);
    await addMember(tx, { orgId: org.id, userId: user.id, role: 'owner' });
    const { secret } = await createApiKey(tx, {
      orgId: org.id,
      name: 'First key',
      scopes: ['gateway', 'ingest', 'admin'],
      createdBy: user.id,
    });
    return { orgSlug: org.slug, email, password, apiKey: secret };
  });
}
