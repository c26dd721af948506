import type { AlertCondition } from '@switchyard/shared';
import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Every time column: with time zone, read as a Date. */
export const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => timestamptz('created_at').notNull().defaultNow();

/** The tenant. Every other tenant table carries `org_id`, and every query filters on it. */
export const organizations = pgTable(
  'organizations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    slug: text('slug').notNull().unique(),
    plan: text('plan', { enum: ['free', 'pro', 'enterprise'] })
      .notNull()
      .default('free'),
    /** The operator's overrides of the plan's default limits (`OrgLimits`, partial): the org's ceiling. */
    limitOverrides: jsonb('limit_overrides').$type<Record<string, number | null>>().notNull().default({}),
    /** Limits the org's own admins set below that ceiling (`OrgLimits`, partial; never above it). */
    selfLimits: jsonb('self_limits').$type<Record<string, number>>().notNull().default({}),
    logPayloads: boolean('log_payloads').notNull().default(true),
    /** Set by the operator: the org's keys stop working and its members can only read. */
    suspendedAt: timestamptz('suspended_at'),
    suspendedReason: text('suspended_reason'),
    /**
     * Whether the org's calls may use the server-wide provider keys (OPENAI_API_KEY, …) under
     * SHARED_PROVIDERS=first: the first start's org, and any the operator marks.
     */
    serverProviders: boolean('server_providers').notNull().default(false),
    createdAt: createdAt(),
  },
  (table) => [check('organizations_plan_check', sql`${table.plan} in ('free', 'pro', 'enterprise')`)],
);

export const users = pgTable('users', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** Stored lower-case; unique across the installation. */
  email: text('email').notNull().unique(),
  name: text('name'),
  passwordHash: text('password_hash').notNull(),
  /** An instance operator: above the orgs (plans, limits, server prices, suspension). */
  isOperator: boolean('is_operator').notNull().default(false),
  createdAt: createdAt(),
});

export const memberships = pgTable(
  'memberships',
  {
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['viewer', 'member', 'admin', 'owner'] }).notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    primaryKey({ columns: [table.orgId, table.userId] }),
    index('memberships_user_idx').on(table.userId),
    check('memberships_role_check', sql`${table.role} in ('viewer', 'member', 'admin', 'owner')`),
  ],
);

/** Dashboard sessions; the cookie holds the random token, the table only its sha256. */
export const sessions = pgTable(
  'sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The org the dashboard is showing; checked against memberships on every request. */
    activeOrgId: uuid('active_org_id').references(() => organizations.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
  },
  (table) => [index('sessions_user_idx').on(table.userId), index('sessions_expires_idx').on(table.expiresAt)],
);

export const invitations = pgTable(
  'invitations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    role: text('role', { enum: ['viewer', 'member', 'admin', 'owner'] }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    invitedBy: uuid('invited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    expiresAt: timestamptz('expires_at').notNull(),
    acceptedAt: timestamptz('accepted_at'),
  },
  (table) => [index('invitations_org_idx').on(table.orgId, table.createdAt)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    prefix: text('prefix').notNull(),
    /** sha256 (hex) of the whole secret; the secret itself is never stored. */
    secretHash: text('secret_hash').notNull().unique(),
    scopes: text('scopes').array().notNull(),
    requestsPerMinute: integer('requests_per_minute'),
    tokensPerMinute: integer('tokens_per_minute'),
    budgetUsd: doublePrecision('budget_usd'),
    budgetPeriod: text('budget_period', { enum: ['day', 'month'] }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: timestamptz('last_used_at'),
    expiresAt: timestamptz('expires_at'),
    revokedAt: timestamptz('revoked_at'),
  },
  (table) => [uniqueIndex('api_keys_org_created_idx').on(table.orgId, table.createdAt, table.id)],
);

/** An org's model aliases: how a name like `chat-default` maps onto provider models. */
export const routes = pgTable(
  'routes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    alias: text('alias').notNull(),
    strategy: text('strategy', { enum: ['single', 'fallback', 'loadbalance'] }).notNull(),
    targets: jsonb('targets').$type<Array<{ model: string; weight: number; timeoutMs: number }>>().notNull(),
    retry: jsonb('retry').$type<{ attempts: number; initialBackoffMs: number; maxBackoffMs: number }>().notNull(),
    fallbackOn: integer('fallback_on').array().notNull(),
    cache: jsonb('cache')
      .$type<{ enabled: boolean; ttlSeconds: number }>()
      .notNull()
      .default({ enabled: false, ttlSeconds: 3600 }),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [uniqueIndex('routes_org_alias_idx').on(table.orgId, table.alias)],
);

/** An org's own model prices (USD per million tokens) for its ingested telemetry and its own provider credentials. */
export const modelPriceOverrides = pgTable(
  'model_price_overrides',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    /** `provider/model`, or a prefix ending in `*`. */
    model: text('model').notNull(),
    input: doublePrecision('input').notNull(),
    output: doublePrecision('output').notNull(),
    cachedInput: doublePrecision('cached_input'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [uniqueIndex('model_price_overrides_org_model_idx').on(table.orgId, table.model)],
);

/**
 * The operator's model prices (USD per million tokens) for calls through the server-wide providers,
 * over the built-in table. Orgs cannot lower these: they spend the server's provider keys.
 */
export const serverPriceOverrides = pgTable('server_price_overrides', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** `provider/model`, or a prefix ending in `*`. */
  model: text('model').notNull().unique(),
  input: doublePrecision('input').notNull(),
  output: doublePrecision('output').notNull(),
  cachedInput: doublePrecision('cached_input'),
  updatedAt: timestamptz('updated_at').notNull().defaultNow(),
});

/** An org's own provider keys, encrypted (AES-256-GCM under SWITCHYARD_SECRET_KEY); never returned. */
export const providerCredentials = pgTable(
  'provider_credentials',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    kind: text('kind', { enum: ['openai', 'anthropic', 'gemini', 'openai-compatible'] }).notNull(),
    baseUrl: text('base_url'),
    encryptedKey: text('encrypted_key'),
    keyHint: text('key_hint'),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [uniqueIndex('provider_credentials_org_name_idx').on(table.orgId, table.name)],
);

/** An org's alert rules, with the state the evaluator keeps between passes (see ops/alert-evaluator.ts). */
export const alertRules = pgTable(
  'alert_rules',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /** Null: the server's ALERT_WEBHOOK_URL. */
    webhookUrl: text('webhook_url'),
    cooldownMinutes: integer('cooldown_minutes').notNull().default(60),
    condition: jsonb('condition').$type<AlertCondition>().notNull(),
    state: text('state', { enum: ['ok', 'firing'] })
      .notNull()
      .default('ok'),
    lastValue: doublePrecision('last_value'),
    lastEvaluatedAt: timestamptz('last_evaluated_at'),
    firingSince: timestamptz('firing_since'),
    lastNotifiedAt: timestamptz('last_notified_at'),
    createdAt: createdAt(),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('alert_rules_org_created_idx').on(table.orgId, table.createdAt, table.id),
    check('alert_rules_state_check', sql`${table.state} in ('ok', 'firing')`),
  ],
);

/** What each rule sent (or why it did not): firing, resolved and test notifications. */
export const alertEvents = pgTable(
  'alert_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    orgId: uuid('org_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    ruleId: uuid('rule_id')
      .notNull()
      .references(() => alertRules.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['firing', 'resolved', 'test'] }).notNull(),
    value: doublePrecision('value'),
    message: text('message').notNull(),
    /** Null when nothing was sent (no webhook, or held back by the cool-down). */
    delivered: boolean('delivered'),
    deliveryError: text('delivery_error'),
    createdAt: createdAt(),
  },
  (table) => [index('alert_events_rule_created_idx').on(table.orgId, table.ruleId, table.createdAt.desc())],
);
