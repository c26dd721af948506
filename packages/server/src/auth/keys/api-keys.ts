import type { ApiKey, CreateApiKeyBody, Scope } from '@switchyard/shared';
import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import { sha256Hex } from '../../crypto/secrets.js';
import type { Database } from '../../db/client.js';
import { apiKeys } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../http/cursor.js';
import { generateApiKeySecret } from './api-key-secret.js';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function createApiKey(
  db: Database,
  options: Partial<CreateApiKeyBody> & { orgId: string; name: string; createdBy: string | null },
): Promise<{ row: ApiKeyRow; secret: string }> {
  const { secret, prefix } = generateApiKeySecret();
  const [row] = await db
    .insert(apiKeys)
    .values({
      orgId: options.orgId,
      name: options.name,
      prefix,
      secretHash: sha256Hex(secret),
      scopes: options.scopes ?? ['gateway', 'ingest'],
      requestsPerMinute: options.requestsPerMinute ?? null,
      tokensPerMinute: options.tokensPerMinute ?? null,
      budgetUsd: options.budgetUsd ?? null,
      budgetPeriod: options.budgetPeriod ?? null,
      expiresAt: options.expiresAt ? new Date(options.expiresAt) : null,
      createdBy: options.createdBy,
    })
    .returning();
  if (!row) throw new Error('api key insert returned no row');
  return { row, secret };
}

/** Newest first, cursor-paginated, revoked keys included (they show as revoked). */
export async function listApiKeys(
  db: Database,
  options: { orgId: string; limit: number; cursor?: string },
): Promise<{ data: ApiKey[]; nextCursor: string | null }> {
  const after = options.cursor ? decodeCursor(options.cursor) : undefined;
  const rows = await db
    .select()
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.orgId, options.orgId),
        after
          ? or(lt(apiKeys.createdAt, after.time), and(eq(apiKeys.createdAt, after.time), lt(apiKeys.id, after.id)))
          : undefined,
      ),
    )
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    data: page.map(toPublicApiKey),
    nextCursor: rows.length > options.limit && last ? encodeCursor({ time: last.createdAt, id: last.id }) : null,
  };
}

export async function findApiKey(db: Database, orgId: string, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, id)));
  return row;
}

/** Sets `revoked_at` once; returns the row (already-revoked rows come back unchanged). */
export async function revokeApiKey(db: Database, options: { orgId: string; id: string; now: Date }) {
  const [revoked] = await db
    .update(apiKeys)
    .set({ revokedAt: options.now })
    .where(and(eq(apiKeys.orgId, options.orgId), eq(apiKeys.id, options.id), isNull(apiKeys.revokedAt)))
    .returning();
  return revoked ?? (await findApiKey(db, options.orgId, options.id));
}

export function toPublicApiKey(row: ApiKeyRow): ApiKey {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as Scope[],
    requestsPerMinute: row.requestsPerMinute,
    tokensPerMinute: row.tokensPerMinute,
    budgetUsd: row.budgetUsd,
    budgetPeriod: row.budgetPeriod,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    expiresAt: row.expiresAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
  };
}
