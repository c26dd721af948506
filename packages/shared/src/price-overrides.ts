import { z } from 'zod';
import type { ModelPrice } from './prices.js';

const usdPerMillionTokens = z.number().min(0).max(1_000_000);

/**
 * A price for a model, in USD per million tokens, over the built-in table. An org's own (a negotiated
 * rate, a fine-tune, a self-hosted model) costs its own provider credentials and its ingested
 * telemetry; the operator's costs calls through the server-wide providers, for every org.
 */
export const priceOverrideBodySchema = z.object({
  /** `provider/model` exactly, or a prefix ending in `*` (`openai/ft:gpt-4o-mini:*`, `vllm/*`). */
  model: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]*\/.+$/, 'must be "provider/model" or a prefix ending in "*", e.g. "vllm/*"')
    .max(200),
  input: usdPerMillionTokens,
  output: usdPerMillionTokens,
  /** The price of prompt tokens served from the provider's cache; the input price when absent. */
  cachedInput: usdPerMillionTokens.optional(),
});
export type PriceOverrideBody = z.infer<typeof priceOverrideBodySchema>;

export const priceOverrideSchema = priceOverrideBodySchema.extend({
  id: z.uuid(),
  updatedAt: z.iso.datetime(),
});
export type PriceOverride = z.infer<typeof priceOverrideSchema>;

/**
 * A price as `GET /api/prices` lists it: the org's overrides (its own providers and its telemetry),
 * the operator's (the server-wide providers), then the built-in table.
 */
export const listedPriceSchema = z.object({
  /** The model name or `*` prefix for an override; the pattern's source for a built-in price. */
  model: z.string(),
  input: z.number(),
  output: z.number(),
  cachedInput: z.number().optional(),
  source: z.enum(['org', 'server', 'built-in']),
  /** Built-in prices: the day they were read off the provider's pricing page. */
  asOf: z.string().optional(),
  id: z.uuid().optional(),
});
export type ListedPrice = z.infer<typeof listedPriceSchema>;

/** The override as a price-table entry: exact match, or prefix match for a trailing `*`. */
export function toModelPrice(override: PriceOverrideBody & { updatedAt?: string }): ModelPrice {
  const prefix = override.model.endsWith('*');
  const literal = (prefix ? override.model.slice(0, -1) : override.model).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return {
    pattern: new RegExp(prefix ? `^${literal}` : `^${literal}$`),
    input: override.input,
    output: override.output,
    cachedInput: override.cachedInput,
    asOf: override.updatedAt?.slice(0, 10) ?? new Date().toISOString().slice(0, 10),
  };
}

/** Overrides in match order: an exact model before any prefix, a longer prefix before a shorter one. */
export function overridesInMatchOrder<TOverride extends { model: string }>(
  overrides: readonly TOverride[],
): TOverride[] {
  const rank = (model: string) => (model.endsWith('*') ? model.length : Number.MAX_SAFE_INTEGER);
  return [...overrides].sort((a, b) => rank(b.model) - rank(a.model));
}
