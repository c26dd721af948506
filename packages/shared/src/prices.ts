import type { Usage } from './gateway.js';

/** USD per million tokens. `cachedInput` is the price of prompt tokens served from the provider's cache. */
export type ModelPrice = {
  /** Matched against `provider/model`; the first entry that matches wins, so specific before general. */
  pattern: RegExp;
  input: number;
  output: number;
  cachedInput?: number;
  /** The most output tokens one answer can have (the provider's documented cap), for budget holds. */
  maxOutputTokens?: number;
  /** What one image part can cost in input tokens at most, where it is more than the default allowance. */
  imageInputTokens?: number;
  /** The day these prices were read off the provider's pricing page. */
  asOf: string;
};

/**
 * A price of the built-in table. `model` names the family its pattern matches (every dated
 * `openai/gpt-4o-mini-2024-07-18` is `openai/gpt-4o-mini`): a bounded set, fit for metric labels.
 */
export type BuiltInPrice = ModelPrice & { model: string };

/** Public list prices, standard tier. Orgs override them per model (contracts, discounts). */
export const MODEL_PRICES: readonly BuiltInPrice[] = [
  { model: 'mock/echo', pattern: /^mock\/echo$/, input: 0, output: 0, asOf: '2026-01-01' },
  { model: 'mock/stream', pattern: /^mock\/stream$/, input: 0, output: 0, asOf: '2026-01-01' },
  { model: 'mock/embed', pattern: /^mock\/embed$/, input: 0, output: 0, asOf: '2026-01-01' },
  {
    model: 'openai/gpt-4o-mini',
    pattern: /^openai\/gpt-4o-mini/,
    input: 0.15,
    output: 0.6,
    cachedInput: 0.075,
    maxOutputTokens: 16_384,
    imageInputTokens: 48_169,
    asOf: '2025-06-01',
  },
  {
    model: 'openai/gpt-4o',
    pattern: /^openai\/gpt-4o/,
    input: 2.5,
    output: 10,
    cachedInput: 1.25,
    maxOutputTokens: 16_384,
    asOf: '2025-06-01',
  },
  {
    model: 'openai/gpt-4.1-nano',
    pattern: /^openai\/gpt-4\.1-nano/,
    input: 0.1,
    output: 0.4,
    cachedInput: 0.025,
    maxOutputTokens: 32_768,
    asOf: '2025-06-01',
  },
  {
    model: 'openai/gpt-4.1-mini',
    pattern: /^openai\/gpt-4\.1-mini/,
    input: 0.4,
    output: 1.6,
    cachedInput: 0.1,
    maxOutputTokens: 32_768,
    asOf: '2025-06-01',
  },
  {
    model: 'openai/gpt-4.1',
    pattern: /^openai\/gpt-4\.1/,
    input: 2,
    output: 8,
    cachedInput: 0.5,
    maxOutputTokens: 32_768,
    asOf: '2025-06-01',
  },
  {
    model: 'openai/o4-mini',
    pattern: /^openai\/o4-mini/,
    input: 1.1,
    output: 4.4,
    cachedInput: 0.275,
    maxOutputTokens: 100_000,
    asOf: '2025-06-01',
  },
  {
    model: 'openai/o3-mini',
    pattern: /^openai\/o3-mini/,
    input: 1.1,
    output: 4.4,
    cachedInput: 0.55,
    maxOutputTokens: 100_000,
    asOf: '2025-06-01',
  },
  {
    model: 'openai/o3',
    pattern: /^openai\/o3/,
    input: 2,
    output: 8,
    cachedInput: 0.5,
    maxOutputTokens: 100_000,
    asOf: '2025-06-01',
  },
  {
    model: 'openai/text-embedding-3-small',
    pattern: /^openai\/text-embedding-3-small/,
    input: 0.02,
    output: 0,
    maxOutputTokens: 0,
    asOf: '2025-06-01',
  },
  {
    model: 'openai/text-embedding-3-large',
    pattern: /^openai\/text-embedding-3-large/,
    input: 0.13,
    output: 0,
    maxOutputTokens: 0,
    asOf: '2025-06-01',
  },
  {
    model: 'anthropic/claude-3-5-haiku',
    pattern: /^anthropic\/claude-3-5-haiku/,
    input: 0.8,
    output: 4,
    cachedInput: 0.08,
    maxOutputTokens: 8_192,
    asOf: '2025-06-01',
  },
  {
    model: 'anthropic/claude-3-5-sonnet',
    pattern: /^anthropic\/claude-3-5-sonnet/,
    input: 3,
    output: 15,
    cachedInput: 0.3,
    maxOutputTokens: 8_192,
    asOf: '2025-06-01',
  },
  {
    model: 'anthropic/claude-3-7-sonnet',
    pattern: /^anthropic\/claude-3-7-sonnet/,
    input: 3,
    output: 15,
    cachedInput: 0.3,
    maxOutputTokens: 128_000,
    asOf: '2025-06-01',
  },
  {
    model: 'anthropic/claude-sonnet-4',
    pattern: /^anthropic\/claude-sonnet-4/,
    input: 3,
    output: 15,
    cachedInput: 0.3,
    maxOutputTokens: 64_000,
    asOf: '2025-06-01',
  },
  {
    model: 'anthropic/claude-opus-4',
    pattern: /^anthropic\/claude-opus-4/,
    input: 15,
    output: 75,
    cachedInput: 1.5,
    maxOutputTokens: 32_000,
    asOf: '2025-06-01',
  },
  {
    model: 'gemini/gemini-2.5-pro',
    pattern: /^gemini\/gemini-2\.5-pro/,
    input: 1.25,
    output: 10,
    cachedInput: 0.31,
    maxOutputTokens: 65_536,
    asOf: '2025-06-01',
  },
  {
    model: 'gemini/gemini-2.5-flash',
    pattern: /^gemini\/gemini-2\.5-flash/,
    input: 0.3,
    output: 2.5,
    cachedInput: 0.075,
    maxOutputTokens: 65_536,
    asOf: '2025-06-01',
  },
  {
    model: 'gemini/gemini-2.0-flash',
    pattern: /^gemini\/gemini-2\.0-flash/,
    input: 0.1,
    output: 0.4,
    cachedInput: 0.025,
    maxOutputTokens: 8_192,
    asOf: '2025-06-01',
  },
  {
    model: 'groq/llama-3.1-8b-instant',
    pattern: /^groq\/llama-3\.1-8b-instant/,
    input: 0.05,
    output: 0.08,
    maxOutputTokens: 131_072,
    asOf: '2025-06-01',
  },
  {
    model: 'groq/llama-3.3-70b-versatile',
    pattern: /^groq\/llama-3\.3-70b-versatile/,
    input: 0.59,
    output: 0.79,
    maxOutputTokens: 32_768,
    asOf: '2025-06-01',
  },
];

/**
 * The built-in entry for each model asked about: every gateway call looks its model up several times
 * (cost estimate, output cap, cost, metric label), each a scan of the table's patterns. Model names
 * come from clients, so the memo is emptied when it reaches its bound.
 */
const builtInByModel = new Map<string, BuiltInPrice | null>();
const BUILT_IN_MEMO_LIMIT = 10_000;

function builtInPriceOf(model: string): BuiltInPrice | undefined {
  let price = builtInByModel.get(model);
  if (price === undefined) {
    price = MODEL_PRICES.find((entry) => entry.pattern.test(model)) ?? null;
    if (builtInByModel.size >= BUILT_IN_MEMO_LIMIT) builtInByModel.clear();
    builtInByModel.set(model, price);
  }
  return price ?? undefined;
}

/** The price of `provider/model`: from `overrides` first, then the built-in table; undefined if unknown. */
export function findPrice(model: string, overrides: readonly ModelPrice[] = []): ModelPrice | undefined {
  return overrides.find((price) => price.pattern.test(model)) ?? builtInPriceOf(model);
}

/** The built-in table's entry for `provider/model`, or undefined when the table does not know it. */
export function findBuiltInPrice(model: string): BuiltInPrice | undefined {
  return builtInPriceOf(model);
}

/**
 * The model's documented output cap from the built-in table (org prices do not carry one), or
 * undefined for a model the table does not know.
 */
export function maxOutputTokensOf(model: string): number | undefined {
  return builtInPriceOf(model)?.maxOutputTokens;
}

/** What one image part may cost this model in input tokens, where the table knows more than a default. */
export function imageInputTokensOf(model: string): number | undefined {
  return builtInPriceOf(model)?.imageInputTokens;
}

/**
 * What a call cost in USD, or null when the model has no price (unknown cost is not zero cost).
 * Cached prompt tokens are part of `inputTokens` and are billed at the cached price.
 */
export function computeCostUsd(price: ModelPrice | undefined, usage: Usage): number | null {
  if (!price) return null;
  const cached = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const uncached = usage.inputTokens - cached;
  const micros =
    uncached * price.input + cached * (price.cachedInput ?? price.input) + usage.outputTokens * price.output;
  return micros / 1_000_000;
}
