import type { OrgLimits, Role, Scope } from '@switchyard/shared';
import { and, eq, isNull } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import { sha256Hex } from '../../crypto/secrets.js';
import type { Database } from '../../db/client.js';
import { apiKeys, memberships, organizations } from '../../db/schema.js';
import type { Kv } from '../../kv/kv.js';
import { limitsOf } from '../orgs.js';
import { looksLikeApiKey } from './api-key-secret.js';

/**
 * Whose authority a key carries: its creator's, as long as they stay in the org (their current role
 * bounds it), or the operator's for keys made with the CLI.
 */
export type KeyAuthority =
  | { kind: 'member'; userId: string; role: Role }
  | { kind: 'former-member'; userId: string }
  | { kind: 'operator' };

/** What a request authenticated by an API key is allowed to be. */
export type ResolvedApiKey = {
  id: string;
  orgId: string;
  name: string;
  scopes: Scope[];
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  budgetUsd: number | null;
  budgetPeriod: 'day' | 'month' | null;
  expiresAt: number | null;
  /** The org's setting: store request and response bodies with its records. */
  logPayloads: boolean;
  /** The org's limits in force: its plan's, the operator's overrides, its own lower ones. */
  orgLimits: OrgLimits;
  authority: KeyAuthority;
  /** Set when the operator suspended the org: the key is refused. */
  orgSuspension: { reason: string | null } | null;
  /** The operator let the org use the server-wide provider keys (under SHARED_PROVIDERS=first). */
  orgServerProviders: boolean;
};

export const KEY_REVOKED_CHANNEL = 'api-keys:revoked';
/**
 * An org's plan, limits, settings, suspension, server providers or members' roles changed: keys cached with the old
 * ones must be reloaded.
 */
export const ORG_CHANGED_CHANNEL = 'orgs:changed';
// Positive entries live until revoked (broadcast); the TTL only bounds the damage of a missed message.
const POSITIVE_TTL_MS = 10 * 60_000;
const NEGATIVE_TTL_MS = 60_000;
const MAX_ENTRIES = 50_000;

type CacheEntry = { key: ResolvedApiKey | null; expiresAt: number };

/**
 * Turns a presented secret into its key with no database query after the first lookup, and drops a
 * revoked key on every replica through the kv broadcast.
 */
export class ApiKeyResolver {
  readonly #db: Database;
  readonly #kv: Kv;
  readonly #clock: Clock;
  readonly #cache = new Map<string, CacheEntry>();
  readonly #inFlight = new Map<string, Promise<ResolvedApiKey | null>>();
  #unsubscribe: (() => Promise<void>) | undefined;

  constructor(options: { db: Database; kv: Kv; clock: Clock }) {
    this.#db = options.db;
    this.#kv = options.kv;
    this.#clock = options.clock;
  }

  async start(): Promise<void> {
    const unsubscribeRevoked = await this.#kv.subscribe(KEY_REVOKED_CHANNEL, (secretHash) =>
      this.#cache.delete(secretHash),
    );
    const unsubscribeOrgs = await this.#kv.subscribe(ORG_CHANGED_CHANNEL, (orgId) => this.#forgetOrg(orgId));
    this.#unsubscribe = async () => {
      await unsubscribeRevoked();
      await unsubscribeOrgs();
    };
    // Revocations sent while we were disconnected are lost; forget everything rather than trust it.
    this.#kv.onReconnect(() => this.#cache.clear());
  }

  async stop(): Promise<void> {
    await this.#unsubscribe?.();
  }

  /** The live key for `secret`, or null when it is unknown, revoked or expired. */
  async resolve(secret: string): Promise<ResolvedApiKey | null> {
    if (!looksLikeApiKey(secret)) return null;
    const secretHash = sha256Hex(secret);
    const now = this.#clock.now();
    const cached = this.#cache.get(secretHash);
    let key: ResolvedApiKey | null;
    if (cached && cached.expiresAt > now) {
      key = cached.key;
    } else {
      key = await this.#load(secretHash);
    }
    if (key?.expiresAt !== null && key?.expiresAt !== undefined && key.expiresAt <= now) return null;
    return key;
  }

  /** After a change to an org: this replica forgets its keys now, the others through the kv. */
  async broadcastOrgChange(orgId: string): Promise<void> {
    this.#forgetOrg(orgId);
    await this.#kv.publish(ORG_CHANGED_CHANNEL, orgId);
  }

  #forgetOrg(orgId: string): void {
    for (const [secretHash, entry] of this.#cache) if (entry.key?.orgId === orgId) this.#cache.delete(secretHash);
  }

  /** Revocation on this replica now, on the others through the kv. */
  async broadcastRevocation(secretHash: string): Promise<void> {
    this.#cache.delete(secretHash);
    await this.#kv.publish(KEY_REVOKED_CHANNEL, secretHash);
  }

  #load(secretHash: string): Promise<ResolvedApiKey | null> {
    // Concurrent first requests with one key share one query.
    let pending = this.#inFlight.get(secretHash);
    if (!pending) {
      pending = this.#query(secretHash).finally(() => this.#inFlight.delete(secretHash));
      this.#inFlight.set(secretHash, pending);
    }
    return pending;
  }

  async #query(secretHash: string): Promise<ResolvedApiKey | null> {
    const [found] = await this.#db
      .select({
        key: apiKeys,
        org: organizations,
        creatorRole: memberships.role,
      })
      .from(apiKeys)
      .innerJoin(organizations, eq(organizations.id, apiKeys.orgId))
      .leftJoin(memberships, and(eq(memberships.orgId, apiKeys.orgId), eq(memberships.userId, apiKeys.createdBy)))
      .where(and(eq(apiKeys.secretHash, secretHash), isNull(apiKeys.revokedAt)));
    const row = found?.key;
    const org = found?.org;
    const key: ResolvedApiKey | null =
      row && org
        ? {
            id: row.id,
            orgId: row.orgId,
            name: row.name,
            scopes: row.scopes as Scope[],
            requestsPerMinute: row.requestsPerMinute,
            tokensPerMinute: row.tokensPerMinute,
            budgetUsd: row.budgetUsd,
            budgetPeriod: row.budgetPeriod,
            expiresAt: row.expiresAt?.getTime() ?? null,
            logPayloads: org.logPayloads,
            orgLimits: limitsOf(org),
            authority: authorityOf(row.createdBy, found.creatorRole),
            orgSuspension: org.suspendedAt ? { reason: org.suspendedReason } : null,
            orgServerProviders: org.serverProviders,
          }
        : null;
    if (this.#cache.size >= MAX_ENTRIES) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) this.#cache.delete(oldest);
    }
    this.#cache.set(secretHash, { key, expiresAt: this.#clock.now() + (key ? POSITIVE_TTL_MS : NEGATIVE_TTL_MS) });
    return key;
  }
}

function authorityOf(createdBy: string | null, creatorRole: Role | null): KeyAuthority {
  if (createdBy === null) return { kind: 'operator' };
  return creatorRole
    ? { kind: 'member', userId: createdBy, role: creatorRole }
    : { kind: 'former-member', userId: createdBy };
}
