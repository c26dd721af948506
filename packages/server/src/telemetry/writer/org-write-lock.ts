import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';

// Writers that merge into an org's stored telemetry take this lock (with the org's hash) for their
// transaction, so two of them cannot both read the rows before the other's are committed.
const TELEMETRY_LOCK_CLASS = 0x5357;

/**
 * Locks the orgs' telemetry for the caller's transaction, in id order so that two writers locking
 * several orgs wait on each other in the same order and cannot deadlock. Take it before writing rows.
 */
export async function lockOrgTelemetry(tx: Database, orgIds: Iterable<string>): Promise<void> {
  for (const orgId of [...new Set(orgIds)].sort())
    await tx.execute(sql`select pg_advisory_xact_lock(${TELEMETRY_LOCK_CLASS}, hashtext(${orgId}))`);
}
