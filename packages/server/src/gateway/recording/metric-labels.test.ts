import { MODEL_PRICES } from '@switchyard/shared';
import { describe, expect, it } from 'vitest';
import { metricLabels } from './metric-labels.js';

describe('metricLabels', () => {
  it('keeps the providers the server knows, configured or not', () => {
    for (const provider of ['openai', 'anthropic', 'gemini', 'groq', 'mock']) {
      expect(metricLabels({ provider, model: `${provider}/anything` }).provider).toBe(provider);
    }
  });

  it('labels any other provider, and a call that reached none, as other', () => {
    expect(metricLabels({ provider: 'alpha-llm', model: 'alpha-llm/gpt-4o-mini' })).toEqual({
      provider: 'other',
      model: 'other',
    });
    expect(metricLabels({ provider: 'OpenAI', model: 'OpenAI/gpt-4o' }).provider).toBe('other');
    expect(metricLabels({ provider: 'none', model: 'made-up/model' })).toEqual({ provider: 'other', model: 'other' });
  });

  it('names a model by the price table family it belongs to', () => {
    expect(metricLabels({ provider: 'openai', model: 'openai/gpt-4o-mini-2024-07-18' }).model).toBe(
      'openai/gpt-4o-mini',
    );
    expect(metricLabels({ provider: 'openai', model: 'openai/gpt-4o-2024-08-06' }).model).toBe('openai/gpt-4o');
    expect(metricLabels({ provider: 'anthropic', model: 'anthropic/claude-3-7-sonnet-latest' }).model).toBe(
      'anthropic/claude-3-7-sonnet',
    );
    expect(metricLabels({ provider: 'gemini', model: 'gemini/gemini-2.5-flash-lite' }).model).toBe(
      'gemini/gemini-2.5-flash',
    );
  });

  it('knows the mock models by name, and no other mock model', () => {
    for (const model of ['mock/echo', 'mock/stream', 'mock/embed']) {
      expect(metricLabels({ provider: 'mock', model })).toEqual({ provider: 'mock', model });
    }
    expect(metricLabels({ provider: 'mock', model: 'mock/echo-made-up' }).model).toBe('other');
  });

  it('labels a model outside the table as other, whatever its provider', () => {
    expect(metricLabels({ provider: 'openai', model: 'openai/ft:my-org-secret-tune' }).model).toBe('other');
    expect(metricLabels({ provider: 'groq', model: 'groq/mixtral-8x7b' }).model).toBe('other');
  });

  it('uses only a bounded set of values: the table’s families and other', () => {
    const families = new Set(MODEL_PRICES.map((price) => price.model));
    expect(families.size).toBe(MODEL_PRICES.length);
    const labels = Array.from({ length: 1_000 }, (_, index) =>
      metricLabels({ provider: `org-provider-${index}`, model: `openai/gpt-4o-mini-${index}` }),
    );
    expect(new Set(labels.map((label) => label.provider))).toEqual(new Set(['other']));
    expect(new Set(labels.map((label) => label.model))).toEqual(new Set(['openai/gpt-4o-mini']));
  });
});
