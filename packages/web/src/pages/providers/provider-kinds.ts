import type { ProviderCredential } from '@switchyard/shared';

type ProviderKind = ProviderCredential['kind'];

/** How each kind reads in the dashboard, where it calls by default, and a cheap model to test it with. */
export const PROVIDER_KIND_DETAILS: Record<
  ProviderKind,
  { label: string; defaultBaseUrl: string | null; testModel: string }
> = {
  openai: { label: 'OpenAI', defaultBaseUrl: 'https://api.openai.com/v1', testModel: 'gpt-4o-mini' },
  anthropic: {
    label: 'Anthropic',
    defaultBaseUrl: 'https://api.anthropic.com',
    testModel: 'claude-3-5-haiku-latest',
  },
  gemini: {
    label: 'Google Gemini',
    defaultBaseUrl: 'https://generativelanguage.googleapis.com',
    testModel: 'gemini-2.5-flash',
  },
  'openai-compatible': { label: 'OpenAI-compatible', defaultBaseUrl: null, testModel: '' },
};
