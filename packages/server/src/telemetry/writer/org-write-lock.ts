import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';

// Writers that merge into an org's stored telemetry take this lock (with the org's hash) for their
// transaction, so two of them cannot both read the rows before the other's are committed.
const TELEMETRY_LOCK_CLASS = 0x5357;

/**
 * Locks the orgs' telemetry for the caller's transaction, in id order so that two writers locking
 * several orgs wait on each other in the same order and cannot deadlock. Take it before writing rows.
 * `shared` is for writers that only insert rows no one has stored (a clash fails on the primary key
 * instead): they run side by side, and a writer that merges (`exclusive`) waits for all of them.
 */
export async function lockOrgTelemetry(
  tx: Database,
  orgIds: Iterable<string>,
  mode: 'exclusive' | 'shared' = 'exclusive',
): Promise<void> {
  const lock = mode === 'shared' ? sql`pg_advisory_xact_lock_shared` : sql`pg_advisory_xact_lock`;
  for (const orgId of [...new Set(orgIds)].sort())
    await tx.execute(sql`select ${lock}(${TELEMETRY_LOCK_CLASS}, hashtext(${orgId}))`);
}
