import { describe, expect, it } from 'vitest';
import { parseModelRef } from './model-ref.js';

describe('parseModelRef', () => {
  it('splits provider/model at the first slash, keeping the rest as the model', () => {
    expect(parseModelRef('openai/gpt-4o-mini')).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(parseModelRef('openrouter/meta/llama')).toEqual({ provider: 'openrouter', model: 'meta/llama' });
  });

  it('reads a name without a slash as an alias', () => {
    expect(parseModelRef('chat')).toEqual({ alias: 'chat' });
    expect(parseModelRef('')).toEqual({ alias: '' });
  });

  it('keeps an empty side empty rather than guessing', () => {
    expect(parseModelRef('/gpt-4o')).toEqual({ provider: '', model: 'gpt-4o' });
    expect(parseModelRef('openai/')).toEqual({ provider: 'openai', model: '' });
  });
});
