import { existsSync } from 'node:fs';
import { PLANS, type Plan } from '@switchyard/shared';
import { z } from 'zod';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const optionalUrl = (protocols: readonly string[], example: string) =>
  z
    .string()
    .trim()
    .min(1)
    .refine((value) => protocols.some((protocol) => value.startsWith(`${protocol}://`)), {
      error: `must be a URL starting with ${protocols.map((protocol) => `${protocol}://`).join(' or ')}, like ${example}`,
    })
    .optional();

const httpUrl = optionalUrl(['http', 'https'], 'https://api.example.com');

const envSchema = z
  .object({
    NODE_ENV: z.string().default('development'),
    PORT: z.coerce.number({ error: 'must be a port number' }).int().min(0).max(65_535).default(8080),
    HOST: z.string().trim().min(1).optional(),
    DATA_DIR: z.string().trim().min(1).default('./data'),
    DATABASE_URL: optionalUrl(['postgres', 'postgresql'], 'postgres://user:pass@host:5432/db?sslmode=require'),
    DATABASE_POOL_MAX: z.coerce.number({ error: 'must be a number' }).int().min(1).max(1000).default(10),
    REDIS_URL: optionalUrl(['redis', 'rediss'], 'redis://localhost:6379'),
    REDIS_KEY_PREFIX: z.string().default('sy:'),
    SWITCHYARD_SECRET_KEY: z.string().min(32, 'must be at least 32 characters (try: openssl rand -hex 32)').optional(),
    PUBLIC_URL: httpUrl,
    CORS_ORIGINS: z.string().default(''),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
    SIGNUP: z.enum(['open', 'invite'], { error: 'must be "open" or "invite"' }).default('invite'),
    DEFAULT_PLAN: z.enum(PLANS, { error: `must be one of ${PLANS.join(', ')}` }).default('free'),
    SHARED_PROVIDERS: z.enum(['first', 'all'], { error: 'must be "first" or "all"' }).default('first'),
    BODY_LIMIT_BYTES: z.coerce
      .number({ error: 'must be a number of bytes' })
      .int()
      .positive()
      .default(5 * 1024 * 1024),
    REQUEST_TIMEOUT_MS: z.coerce.number({ error: 'must be a number of milliseconds' }).int().min(1_000).default(30_000),
    SHUTDOWN_TIMEOUT_MS: z.coerce
      .number({ error: 'must be a number of milliseconds' })
      .int()
      .positive()
      .default(10_000),
    TRUST_PROXY: z.enum(['true', 'false'], { error: 'must be "true" or "false"' }).default('false'),
    ALLOW_PRIVATE_URLS: z.enum(['true', 'false'], { error: 'must be "true" or "false"' }).default('false'),
    METRICS_TOKEN: z
      .string()
      .trim()
      .min(16, 'must be at least 16 characters (try: openssl rand -hex 32)')
      .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces (it is sent in an HTTP header)')
      .optional(),
    OPENAI_API_KEY: z.string().optional(),
    ANTHROPIC_API_KEY: z.string().optional(),
    GEMINI_API_KEY: z.string().optional(),
    GROQ_API_KEY: z.string().optional(),
    OPENAI_BASE_URL: httpUrl,
    ANTHROPIC_BASE_URL: httpUrl,
    GEMINI_BASE_URL: httpUrl,
    GROQ_BASE_URL: httpUrl,
    SENTRY_DSN: z.string().optional(),
    ALERT_WEBHOOK_URL: httpUrl,
    BACKUP_DIR: z.string().trim().min(1).optional(),
    BACKUP_INTERVAL_HOURS: z.coerce
      .number({ error: 'must be a number of hours' })
      .int()
      .min(1)
      .max(24 * 30)
      .default(24),
    BACKUP_KEEP_DAYS: z.coerce.number({ error: 'must be a number of days' }).int().min(1).max(3650).default(14),
  })
  .refine((env) => !env.DATABASE_URL || env.SWITCHYARD_SECRET_KEY, {
    path: ['SWITCHYARD_SECRET_KEY'],
    error: 'is required when DATABASE_URL is set (every replica must share it; try: openssl rand -hex 32)',
  })
  .refine((env) => !(env.DATABASE_URL && env.BACKUP_DIR), {
    path: ['BACKUP_DIR'],
    error:
      'schedules backups of the embedded database; with DATABASE_URL, run "switchyard backup" from cron or use your provider\'s backups (docs/operations.md#backups)',
  });

/** Every environment variable the server reads (`.env.example` documents each one). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export type Config = {
  env: string;
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolMax: number;
  redisUrl: string | undefined;
  redisKeyPrefix: string;
  /** Undefined only on an embedded start before the key file is created (see `ensureSecretKey`). */
  secretKey: string | undefined;
  publicUrl: string | undefined;
  corsOrigins: string[];
  logLevel: (typeof LOG_LEVELS)[number];
  /** `invite`: only people invited into an org can sign up; `open`: anyone can, into an org of their own. */
  signup: 'open' | 'invite';
  /** The plan of every org made after the first one (sign-up, `switchyard org create`, `POST /api/orgs`). */
  defaultPlan: Plan;
  /**
   * Which orgs the server-wide provider keys (OPENAI_API_KEY, …) serve: `first`, the orgs the operator
   * marked (the first start's org, and any they mark since); `all`, every org.
   */
  sharedProviders: 'first' | 'all';
  bodyLimitBytes: number;
  /** The longest a request's headers and body may take to arrive; then 408 and the socket closes. */
  requestTimeoutMs: number;
  shutdownTimeoutMs: number;
  trustProxy: boolean;
  providerKeys: { openai?: string; anthropic?: string; gemini?: string; groq?: string };
  providerBaseUrls: { openai?: string; anthropic?: string; gemini?: string; groq?: string };
  alertWebhookUrl: string | undefined;
  /**
   * Whether URLs org admins enter (provider base URLs, alert webhooks) may reach loopback, private or
   * link-local addresses. The operator's own variables (OPENAI_BASE_URL, ALERT_WEBHOOK_URL) always may.
   */
  allowPrivateUrls: boolean;
  /** When set, `/metrics` answers only `Authorization: Bearer <metricsToken>`. */
  metricsToken: string | undefined;
  /** Scheduled backups of the embedded database: where, how often, how long kept. */
  backup: { dir: string | undefined; intervalHours: number; keepDays: number };
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function isInContainer(): boolean {
  return existsSync('/.dockerenv') || existsSync('/run/.containerenv');
}

/** Reads and validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? 'environment');
        const value = present[variable];
        const shown = value === undefined || /KEY|SECRET|TOKEN|URL/.test(variable) ? '' : ` (got "${value}")`;
        return `${variable} ${issue.message}${shown}`;
      }),
    );
  }
  const values = parsed.data;
  return {
    env: values.NODE_ENV,
    port: values.PORT,
    host: values.HOST ?? (isInContainer() ? '0.0.0.0' : '127.0.0.1'),
    dataDir: values.DATA_DIR,
    databaseUrl: values.DATABASE_URL,
    databasePoolMax: values.DATABASE_POOL_MAX,
    redisUrl: values.REDIS_URL,
    redisKeyPrefix: values.REDIS_KEY_PREFIX,
    secretKey: values.SWITCHYARD_SECRET_KEY,
    publicUrl: values.PUBLIC_URL?.replace(/\/+$/, ''),
    corsOrigins: values.CORS_ORIGINS.split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    logLevel: values.LOG_LEVEL,
    signup: values.SIGNUP,
    defaultPlan: values.DEFAULT_PLAN,
    sharedProviders: values.SHARED_PROVIDERS,
    bodyLimitBytes: values.BODY_LIMIT_BYTES,
    requestTimeoutMs: values.REQUEST_TIMEOUT_MS,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    trustProxy: values.TRUST_PROXY === 'true',
    providerKeys: {
      openai: values.OPENAI_API_KEY,
      anthropic: values.ANTHROPIC_API_KEY,
      gemini: values.GEMINI_API_KEY,
      groq: values.GROQ_API_KEY,
    },
    providerBaseUrls: {
      openai: values.OPENAI_BASE_URL,
      anthropic: values.ANTHROPIC_BASE_URL,
      gemini: values.GEMINI_BASE_URL,
      groq: values.GROQ_BASE_URL,
    },
    alertWebhookUrl: values.ALERT_WEBHOOK_URL,
    allowPrivateUrls: values.ALLOW_PRIVATE_URLS === 'true',
    metricsToken: values.METRICS_TOKEN,
    backup: { dir: values.BACKUP_DIR, intervalHours: values.BACKUP_INTERVAL_HOURS, keepDays: values.BACKUP_KEEP_DAYS },
  };
}
