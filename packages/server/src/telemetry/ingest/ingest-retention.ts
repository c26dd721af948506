import { lt } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { ingestEvents, pendingObservationUpdates } from '../../db/telemetry-schema.js';

/** How long an envelope id is remembered: retries arrive within minutes, this allows for a long outage. */
export const ENVELOPE_RETENTION_MS = 7 * 24 * 3600_000;

/**
 * Forgets envelope ids older than the retention, and updates whose observation never arrived in that
 * time (their create was lost or never sent). Returns how many rows of each went.
 */
export async function pruneIngestState(db: Database, now: number): Promise<{ envelopes: number; pending: number }> {
  const before = new Date(now - ENVELOPE_RETENTION_MS);
  type Deleted = { rowCount?: number | null };
  const envelopes = (await db.delete(ingestEvents).where(lt(ingestEvents.receivedAt, before))) as Deleted;
  const pending = (await db
    .delete(pendingObservationUpdates)
    .where(lt(pendingObservationUpdates.receivedAt, before))) as Deleted;
  return { envelopes: envelopes.rowCount ?? 0, pending: pending.rowCount ?? 0 };
}
