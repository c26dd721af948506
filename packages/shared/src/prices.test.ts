import { describe, expect, it } from 'vitest';
import { computeCostUsd, findPrice, MODEL_PRICES, maxOutputTokensOf } from './prices.js';

describe('model prices', () => {
  it('matches the most specific model first', () => {
    expect(findPrice('openai/gpt-4o-mini-2024-07-18')?.input).toBe(0.15);
    expect(findPrice('openai/gpt-4o-2024-08-06')?.input).toBe(2.5);
    expect(findPrice('openai/gpt-4.1-mini')?.output).toBe(1.6);
  });

  it('bills cached prompt tokens at the cached price', () => {
    const price = findPrice('openai/gpt-4o');
    // 1M prompt tokens of which 400k cached, 100k completion: 0.6M×2.5 + 0.4M×1.25 + 0.1M×10
    expect(
      computeCostUsd(price, { inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 100_000 }),
    ).toBeCloseTo(3.0, 10);
  });

  it('answers null for an unknown model rather than a cost of zero', () => {
    expect(
      computeCostUsd(findPrice('someone/unknown-model'), { inputTokens: 10, cachedInputTokens: 0, outputTokens: 10 }),
    ).toBeNull();
    expect(computeCostUsd(findPrice('mock/echo'), { inputTokens: 10, cachedInputTokens: 0, outputTokens: 10 })).toBe(0);
  });

  it('lets an org override a price', () => {
    const overrides = [{ pattern: /^openai\/gpt-4o$/, input: 1, output: 2, asOf: '2026-11-01' }];
    expect(findPrice('openai/gpt-4o', overrides)?.input).toBe(1);
    expect(findPrice('openai/gpt-4o-mini', overrides)?.input).toBe(0.15);
  });

  it('names each built-in family with a model its own entry prices', () => {
    for (const price of MODEL_PRICES) expect(findPrice(price.model), price.model).toBe(price);
  });

  it('knows the output cap of every priced model, for budget holds', () => {
    const uncapped = MODEL_PRICES.filter((price) => price.output > 0 && price.maxOutputTokens === undefined);
    expect(uncapped.map((price) => price.pattern.source)).toEqual([]);
    expect(maxOutputTokensOf('openai/gpt-4o-mini-2024-07-18')).toBe(16_384);
    expect(maxOutputTokensOf('anthropic/claude-3-7-sonnet-latest')).toBe(128_000);
    expect(maxOutputTokensOf('house/own-model')).toBeUndefined();
  });
});
