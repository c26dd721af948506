import { z } from 'zod';
import { scopeSchema } from './role-schemas.js';

export const BUDGET_PERIODS = ['day', 'month'] as const;

export const createApiKeyBodySchema = z.object({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(scopeSchema).min(1).default(['gateway', 'ingest']),
  requestsPerMinute: z.number().int().positive().nullable().default(null),
  tokensPerMinute: z.number().int().positive().nullable().default(null),
  budgetUsd: z.number().positive().nullable().default(null),
  budgetPeriod: z.enum(BUDGET_PERIODS).nullable().default(null),
  expiresAt: z.iso.datetime({ offset: true }).nullable().default(null),
});
export type CreateApiKeyBody = z.infer<typeof createApiKeyBodySchema>;

export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  /** The first characters of the secret, to recognise a key; never enough to use it. */
  prefix: z.string(),
  scopes: z.array(scopeSchema),
  requestsPerMinute: z.number().nullable(),
  tokensPerMinute: z.number().nullable(),
  budgetUsd: z.number().nullable(),
  budgetPeriod: z.enum(BUDGET_PERIODS).nullable(),
  /** Whose authority the key carries (its creator's user id); null for keys made with the CLI. */
  createdBy: z.uuid().nullable(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export type ApiKey = z.infer<typeof apiKeySchema>;

/** The one response that carries the secret; it is never shown again. */
export const createdApiKeySchema = apiKeySchema.extend({ secret: z.string() });
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;
