import type { ObservationType } from '@switchyard/shared';
import type { AttributeReader } from './attribute-reader.js';

/** `gen_ai.operation.name` values (OpenTelemetry GenAI semantic conventions) and what they become. */
const GEN_AI_OPERATION_TYPES: Record<string, ObservationType> = {
  chat: 'generation',
  text_completion: 'generation',
  generate_content: 'generation',
  embeddings: 'generation',
  execute_tool: 'tool',
  invoke_agent: 'agent',
  create_agent: 'agent',
  retrieval: 'retrieval',
};

/**
 * Vercel AI SDK provider calls (`ai.generateText.doGenerate`, `ai.streamText.doStream`,
 * `ai.embedMany.doEmbed`, ...). Their parents (`ai.generateText`, ...) repeat the summed usage,
 * so only these are generations and tokens are counted once.
 */
const VERCEL_PROVIDER_CALL = /^ai\.[A-Za-z]+\.do(Generate|Stream|Embed)$/;

/** What kind of observation a span is, from its GenAI or Vercel AI SDK attributes. */
export function observationTypeOf(attributes: AttributeReader): ObservationType {
  const vercelOperation = attributes.peek('ai.operationId');
  if (typeof vercelOperation === 'string') {
    if (VERCEL_PROVIDER_CALL.test(vercelOperation)) return 'generation';
    if (vercelOperation === 'ai.toolCall') return 'tool';
    return 'span';
  }
  const operation = attributes.peek('gen_ai.operation.name');
  if (typeof operation === 'string' && Object.hasOwn(GEN_AI_OPERATION_TYPES, operation)) {
    return GEN_AI_OPERATION_TYPES[operation] ?? 'span';
  }
  // An instrumentation that names no (known) operation but a model is still a model call.
  if (attributes.peek('gen_ai.request.model', 'gen_ai.response.model') !== undefined) {
    return 'generation';
  }
  return 'span';
}
