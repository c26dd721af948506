/**
 * A model as a request or route names it: `provider/model` (the model is everything after the
 * first slash, so `openrouter/meta/llama` asks openrouter for `meta/llama`), or, without a slash,
 * an alias (an org's route, or a model name given without its provider).
 */
export type ModelRef = { provider: string; model: string } | { alias: string };

/**
 * Splits a model reference at its first slash. Either side may be empty (`/x`, `openai/`); the
 * callers that need both say so.
 *
 * @example
 * parseModelRef('openai/gpt-4o-mini'); // { provider: 'openai', model: 'gpt-4o-mini' }
 * parseModelRef('chat'); // { alias: 'chat' }
 */
export function parseModelRef(ref: string): ModelRef {
  const slash = ref.indexOf('/');
  if (slash < 0) return { alias: ref };
  return { provider: ref.slice(0, slash), model: ref.slice(slash + 1) };
}

/**
 * The provider the gateway records for a call refused before routing chose one (an unknown
 * provider or alias, a bad request): the dashboard words it, it is no provider's name.
 */
export const NO_PROVIDER = 'none';
