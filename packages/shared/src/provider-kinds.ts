// A plain constant, no zod: the dashboard imports it without loading the schema library.

/** How Switchyard talks to an org's provider: its own API, or any OpenAI-compatible server. */
export const PROVIDER_KINDS = ['openai', 'anthropic', 'gemini', 'openai-compatible'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
