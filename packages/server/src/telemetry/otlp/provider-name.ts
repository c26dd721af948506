/**
 * Provider names as Switchyard's price table and dashboards spell them, keyed by the first dotted
 * part of what OpenTelemetry GenAI (`gen_ai.provider.name`, older `gen_ai.system`) and the Vercel AI
 * SDK (`ai.model.provider`: `openai.chat`, `google.generative-ai`, ...) send.
 */
const PROVIDER_ALIASES: Record<string, string> = {
  google: 'gemini',
  gcp: 'gemini',
  vertex: 'gemini',
  vertex_ai: 'gemini',
  aws: 'bedrock',
  'amazon-bedrock': 'bedrock',
  az: 'azure',
  'azure-openai': 'azure',
  mistral_ai: 'mistral',
  x_ai: 'xai',
  ibm: 'watsonx',
};

const MAX_PROVIDER_LENGTH = 200;

/**
 * `openai.chat` → `openai`, `anthropic.messages` → `anthropic`, `gcp.vertex_ai` → `gemini`,
 * `aws.bedrock` → `bedrock`; anything else: its first dotted part, lowercase.
 */
export function normalizeProviderName(raw: string): string | undefined {
  const name = raw.trim().toLowerCase();
  if (!name) return undefined;
  // Claude through any cloud (`vertex.anthropic.messages`, `google.vertex.anthropic`) is priced as Anthropic.
  if (name.includes('anthropic')) return 'anthropic';
  const [first = ''] = name.split('.');
  return (
    (Object.hasOwn(PROVIDER_ALIASES, first) ? PROVIDER_ALIASES[first] : first.slice(0, MAX_PROVIDER_LENGTH)) ||
    undefined
  );
}
