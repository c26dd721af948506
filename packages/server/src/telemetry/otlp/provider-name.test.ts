import { describe, expect, it } from 'vitest';
import { normalizeProviderName } from './provider-name.js';

describe('normalizeProviderName', () => {
  it.each([
    ['openai', 'openai'],
    ['openai.chat', 'openai'],
    ['openai.responses', 'openai'],
    ['anthropic.messages', 'anthropic'],
    ['vertex.anthropic.messages', 'anthropic'],
    ['google.generative-ai', 'gemini'],
    ['google.vertex.chat', 'gemini'],
    ['gcp.gemini', 'gemini'],
    ['gcp.vertex_ai', 'gemini'],
    ['vertex_ai', 'gemini'],
    ['aws.bedrock', 'bedrock'],
    ['amazon-bedrock', 'bedrock'],
    ['azure.ai.openai', 'azure'],
    ['az.ai.inference', 'azure'],
    ['mistral_ai', 'mistral'],
    ['mistral.chat', 'mistral'],
    ['x_ai', 'xai'],
    ['groq.chat', 'groq'],
    ['ibm.watsonx.ai', 'watsonx'],
    ['azure.chat', 'azure'],
    ['azure-openai.chat', 'azure'],
    ['  DeepSeek.Chat ', 'deepseek'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeProviderName(raw)).toBe(expected);
  });

  it('has no name for an empty string', () => {
    expect(normalizeProviderName('  ')).toBeUndefined();
  });
});
