import { z } from 'zod';
import { ALERT_STATES, SPEND_PERIODS } from './alert-metrics.js';

// Fields without defaults: a PATCH must leave what it does not name as it is (zod 4 fills a
// `.default()` in even under `.optional()`), so only the create body adds them.
const nameSchema = z.string().trim().min(1).max(200);
const webhookUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2_000)
  .nullable();
const cooldownMinutesSchema = z
  .number()
  .int()
  .min(0)
  .max(7 * 24 * 60);

/** Fields every rule has. */
const ruleCommon = {
  name: nameSchema,
  enabled: z.boolean().default(true),
  /** Where to deliver; null = the server's ALERT_WEBHOOK_URL. */
  webhookUrl: webhookUrlSchema.default(null),
  /** After a notification, a new incident of this rule within this many minutes is recorded, not sent. */
  cooldownMinutes: cooldownMinutesSchema.default(60),
};

/**
 * Windows are read from hourly rollups: a window of N hours covers the hourly buckets that started
 * in the last N hours plus the current one.
 */
const windowHoursSchema = z.number().int().min(1).max(168).default(1);

export const alertConditionSchema = z.discriminatedUnion('metric', [
  z.object({
    metric: z.literal('error_rate'),
    /** Fires when errors / requests exceeds this, in percent. */
    thresholdPercent: z.number().gt(0).max(100),
    windowHours: windowHoursSchema,
    /** Fewer requests than this in the window never fire (one failed call of one is not an incident). */
    minRequests: z.number().int().min(1).max(1_000_000).default(10),
  }),
  z.object({
    metric: z.literal('p95_latency'),
    thresholdMs: z.number().int().min(1).max(3_600_000),
    windowHours: windowHoursSchema,
    minRequests: z.number().int().min(1).max(1_000_000).default(10),
  }),
  z.object({
    metric: z.literal('spend'),
    thresholdUsd: z.number().gt(0).max(10_000_000),
    period: z.enum(SPEND_PERIODS).default('day'),
  }),
  z.object({
    metric: z.literal('key_budget'),
    /** Fires when a key has spent this share of its budget in its current budget period. */
    thresholdPercent: z.number().gt(0).max(100).default(80),
    /** One key, or null for every key of the org that has a budget. */
    apiKeyId: z.uuid().nullable().default(null),
  }),
]);
export type AlertCondition = z.infer<typeof alertConditionSchema>;

export const alertRuleBodySchema = z.object({ ...ruleCommon, condition: alertConditionSchema });
export type AlertRuleBody = z.infer<typeof alertRuleBodySchema>;

/** PATCH: any of the fields; a new `condition` replaces the old one whole. */
export const alertRulePatchSchema = z
  .object({
    name: nameSchema.optional(),
    enabled: z.boolean().optional(),
    webhookUrl: webhookUrlSchema.optional(),
    cooldownMinutes: cooldownMinutesSchema.optional(),
    condition: alertConditionSchema.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    error: 'give at least one field to change',
  });
export type AlertRulePatch = z.infer<typeof alertRulePatchSchema>;

export const alertRuleSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  enabled: z.boolean(),
  webhookUrl: z.string().nullable(),
  cooldownMinutes: z.number(),
  condition: alertConditionSchema,
  state: z.enum(ALERT_STATES),
  /** The measured value at the last evaluation, in the condition's unit (percent, ms or USD). */
  lastValue: z.number().nullable(),
  lastEvaluatedAt: z.string().nullable(),
  /** When the current or last incident began. */
  firingSince: z.string().nullable(),
  lastNotifiedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AlertRule = z.infer<typeof alertRuleSchema>;

/** One notification attempt: an incident firing or resolving, or a test. */
export const alertEventSchema = z.object({
  id: z.uuid(),
  ruleId: z.uuid(),
  kind: z.enum(['firing', 'resolved', 'test']),
  value: z.number().nullable(),
  message: z.string(),
  /** Whether the webhook answered 2xx (after retries); null when there was no webhook to send to. */
  delivered: z.boolean().nullable(),
  /** Why delivery failed, or why nothing was sent. */
  deliveryError: z.string().nullable(),
  createdAt: z.string(),
});
export type AlertEvent = z.infer<typeof alertEventSchema>;
