import { findPrice, type ModelPrice } from '@switchyard/shared';
import { Agent } from 'undici';
import { describe, expect, it } from 'vitest';
import { createAnthropicProvider } from '../providers/anthropic.js';
import { createMockProvider } from '../providers/mock.js';
import { ProviderRegistry } from '../providers/provider-registry.js';
import { type CostTarget, costTargetsOf, createCostEstimator, DEFAULT_MAX_OUTPUT_TOKENS } from './cost-estimate.js';
import { IMAGE_INPUT_TOKENS } from './input-token-bound.js';

const price = (input: number, output: number): ModelPrice => ({
  pattern: /^house\//,
  input,
  output,
  asOf: '2026-01-01',
});
const direct = (model: string, sentMaxOutputTokens?: number): CostTarget => ({
  model,
  sentMaxOutputTokens,
  spendsServerKeys: !model.startsWith('byo/'),
});
const estimate = (options: {
  endpoint?: 'chat.completions' | 'embeddings' | 'messages';
  body: Record<string, unknown>;
  targets: CostTarget[];
  prices?: ModelPrice[];
}) =>
  createCostEstimator({
    endpoint: options.endpoint ?? 'chat.completions',
    body: options.body,
    bodyBytes: undefined,
    targets: options.targets,
    priceOf: (model) => findPrice(model, options.prices ?? []),
  }).bound();
const hi = [{ role: 'user', content: 'Hi' }];

describe('the worst case of a call', () => {
  it('takes the output cap from the request, else the provider, else the model, else the default', () => {
    const prices = [price(0, 1)];
    const outputOf = (body: Record<string, unknown>, target: CostTarget) => {
      const answer = estimate({ body, targets: [target], prices });
      return answer.priced ? answer.outputTokens : undefined;
    };
    expect(outputOf({ messages: hi, max_completion_tokens: 7, max_tokens: 9 }, direct('house/x', 4_096))).toBe(7);
    expect(outputOf({ messages: hi, max_tokens: 9, n: 3 }, direct('house/x'))).toBe(27);
    expect(outputOf({ messages: hi }, direct('house/x', 4_096))).toBe(4_096);
    expect(outputOf({ messages: hi }, direct('house/x'))).toBe(DEFAULT_MAX_OUTPUT_TOKENS);
    // The built-in table knows gpt-4o-mini's cap, and no answer runs past it whatever the request asks.
    expect(
      (estimate({ body: { messages: hi }, targets: [direct('openai/gpt-4o-mini')] }) as { outputTokens: number })
        .outputTokens,
    ).toBe(16_384);
    expect(
      (
        estimate({ body: { messages: hi, max_tokens: 1e6 }, targets: [direct('openai/gpt-4o-mini')] }) as {
          outputTokens: number;
        }
      ).outputTokens,
    ).toBe(16_384);
  });

  it('bounds the input by the body’s bytes, images by their allowance, and embeddings output by nothing', () => {
    const body = { input: 'héllo wörld' };
    const answer = estimate({ endpoint: 'embeddings', body, targets: [direct('house/embed')], prices: [price(1, 1)] });
    expect(answer).toMatchObject({ inputTokens: Buffer.byteLength(JSON.stringify(body)), outputTokens: 0 });
    const image = { type: 'image_url', image_url: { url: `data:image/png;base64,${'A'.repeat(10_000)}` } };
    const withImage = estimate({
      body: { messages: [{ role: 'user', content: [image] }], max_tokens: 1 },
      targets: [direct('house/vision')],
      prices: [price(1, 1)],
    });
    expect(withImage).toMatchObject({ imageParts: 1 });
    // The image's 10 KB of data count as its allowance, not as 10,000 tokens.
    expect((withImage as { inputTokens: number }).inputTokens).toBeLessThan(IMAGE_INPUT_TOKENS + 200);
  });

  it('is the costliest of the route’s targets, and says which targets have no price', () => {
    const answer = estimate({
      body: { messages: hi, max_tokens: 100 },
      targets: [direct('openai/gpt-4o-mini'), direct('openai/gpt-4o'), direct('byo/unknown')],
    });
    expect(answer).toMatchObject({ priced: true, model: 'openai/gpt-4o', unpricedModels: ['byo/unknown'] });
    expect(estimate({ body: { messages: hi }, targets: [direct('byo/unknown')] })).toEqual({
      priced: false,
      unpricedModels: ['byo/unknown'],
      unpricedServerModels: [],
    });
    // On the server's keys, an unpriced model is named apart: budgets refuse it.
    expect(estimate({ body: { messages: hi }, targets: [direct('openai/gpt-next')] })).toMatchObject({
      unpricedServerModels: ['openai/gpt-next'],
    });
  });

  it('reads a Messages request’s max_tokens, and counts tokens tighter only on demand', async () => {
    const body = { max_tokens: 300, messages: [{ role: 'user', content: 'word '.repeat(2_000) }] };
    const estimator = createCostEstimator({
      endpoint: 'messages',
      body,
      bodyBytes: undefined,
      targets: [direct('house/claude', 4_096)],
      priceOf: () => price(1, 1),
    });
    const bound = estimator.bound();
    const counted = await estimator.counted();
    expect(bound).toMatchObject({ outputTokens: 300, counted: false });
    expect(counted).toMatchObject({ outputTokens: 300, counted: true });
    expect((counted as { inputTokens: number }).inputTokens).toBeLessThan(
      (bound as { inputTokens: number }).inputTokens / 2,
    );
  });

  it('knows the output cap each provider sends when the request names none, and whose keys it spends', async () => {
    const dispatcher = new Agent();
    const registry = new ProviderRegistry([
      createMockProvider(),
      createAnthropicProvider({ apiKey: undefined, baseUrl: 'http://127.0.0.1:1', dispatcher }),
    ]);
    // The org brings its own `anthropic`-kind provider as `byo`; the rest are the server's.
    const providers = {
      resolve: (model: string) =>
        model.startsWith('byo/') ? registry.resolve(`anthropic/${model.slice(4)}`) : registry.resolve(model),
      ownsModel: (model: string) => model.startsWith('byo/'),
    };
    const targetsOf = (model: string) => {
      const plan = {
        requested: model,
        alias: undefined,
        targets: [{ model, weight: 1, timeoutMs: 1_000 }],
        retry: { attempts: 0, initialBackoffMs: 0, maxBackoffMs: 0 },
        fallbackOn: new Set<number>(),
        cache: undefined,
      };
      return costTargetsOf({ plan, providers });
    };
    expect(targetsOf('anthropic/claude-3-5-haiku-latest')).toEqual([
      { model: 'anthropic/claude-3-5-haiku-latest', sentMaxOutputTokens: 4_096, spendsServerKeys: true },
    ]);
    expect(targetsOf('byo/claude-3-5-haiku-latest')).toEqual([
      { model: 'byo/claude-3-5-haiku-latest', sentMaxOutputTokens: 4_096, spendsServerKeys: false },
    ]);
    // The mock answers in-process, spending no one's key.
    expect(targetsOf('mock/echo')).toEqual([
      { model: 'mock/echo', sentMaxOutputTokens: undefined, spendsServerKeys: false },
    ]);
    // A provider that is not configured is never called: it adds no cap and no cost.
    expect(targetsOf('nowhere/model')).toEqual([
      { model: 'nowhere/model', sentMaxOutputTokens: undefined, spendsServerKeys: false },
    ]);
    await dispatcher.close();
  });
});
