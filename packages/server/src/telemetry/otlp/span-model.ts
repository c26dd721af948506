import type { AttributeReader } from './attribute-reader.js';
import { normalizeProviderName } from './provider-name.js';

const MAX_MODEL_LENGTH = 200;

/** Who served the call and which model answered (the response's model before the requested one). */
export function modelOf(attributes: AttributeReader): { provider?: string; model?: string } {
  const rawProvider = attributes.readString('gen_ai.provider.name', 'gen_ai.system', 'ai.model.provider');
  const provider = rawProvider ? normalizeProviderName(rawProvider) : undefined;
  const model = attributes
    .readString('gen_ai.response.model', 'gen_ai.request.model', 'ai.response.model', 'ai.model.id')
    ?.slice(0, MAX_MODEL_LENGTH);
  return { ...(provider ? { provider } : {}), ...(model ? { model } : {}) };
}
