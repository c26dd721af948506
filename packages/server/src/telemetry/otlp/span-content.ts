import type { AttributeReader } from './attribute-reader.js';
import { parseJsonAttribute } from './json-attribute.js';
import type { OtlpSpan, OtlpSpanEvent } from './otlp-span.js';

/** Span events of older GenAI conventions that carry the conversation, and the role each stands for. */
const MESSAGE_EVENT_ROLES: Record<string, string> = {
  'gen_ai.system.message': 'system',
  'gen_ai.user.message': 'user',
  'gen_ai.assistant.message': 'assistant',
  'gen_ai.tool.message': 'tool',
};
const PROMPT_EVENT = 'gen_ai.content.prompt';
const COMPLETION_EVENT = 'gen_ai.content.completion';
const CHOICE_EVENT = 'gen_ai.choice';

/** Events whose content becomes the input or output, so the metadata leaves them out. */
export const CONTENT_EVENT_NAMES: ReadonlySet<string> = new Set([
  ...Object.keys(MESSAGE_EVENT_ROLES),
  PROMPT_EVENT,
  COMPLETION_EVENT,
  CHOICE_EVENT,
]);

/**
 * What went into a span and what came out, from (in order of preference) the current GenAI
 * attributes, their older names, tool and retrieval attributes, the Vercel AI SDK's `ai.*`, and
 * finally the older GenAI span events. JSON strings are parsed; other strings stay as they are.
 */
export function contentOf({ span, attributes }: { span: OtlpSpan; attributes: AttributeReader }): {
  input?: unknown;
  output?: unknown;
} {
  // Every candidate is read (not just the first found), so none is left to repeat in the metadata.
  const input = firstDefined(
    genAiInput(attributes),
    parseJsonAttribute(attributes.readValue('gen_ai.prompt')),
    parseJsonAttribute(attributes.readValue('gen_ai.tool.call.arguments', 'ai.toolCall.args', 'ai.toolCall.input')),
    parseJsonAttribute(attributes.readValue('gen_ai.retrieval.query.text')),
    parseJsonAttribute(attributes.readValue('ai.prompt.messages', 'ai.prompt')),
    parseJsonAttribute(attributes.readValue('ai.values', 'ai.value')),
    eventInput(span.events),
  );
  const output = firstDefined(
    parseJsonAttribute(attributes.readValue('gen_ai.output.messages')),
    parseJsonAttribute(attributes.readValue('gen_ai.completion')),
    parseJsonAttribute(attributes.readValue('gen_ai.tool.call.result', 'ai.toolCall.result', 'ai.toolCall.output')),
    parseJsonAttribute(attributes.readValue('gen_ai.retrieval.documents')),
    vercelOutput(attributes),
    eventOutput(span.events),
  );
  // Embedding vectors are large and say nothing in a trace view.
  attributes.drop('ai.embedding', 'ai.embeddings');
  return { ...(input !== undefined ? { input } : {}), ...(output !== undefined ? { output } : {}) };
}

/** `gen_ai.input.messages`, with `gen_ai.system_instructions` in front as a system message. */
function genAiInput(attributes: AttributeReader): unknown {
  const messages = parseJsonAttribute(attributes.readValue('gen_ai.input.messages'));
  const instructions = parseJsonAttribute(attributes.readValue('gen_ai.system_instructions'));
  if (instructions === undefined) return messages;
  const parts = Array.isArray(instructions) ? instructions : [{ type: 'text', content: instructions }];
  const system = { role: 'system', parts };
  if (messages === undefined) return [system];
  return Array.isArray(messages) ? [system, ...messages] : { systemInstructions: instructions, messages };
}

/** Vercel AI SDK: the generated object, or the text and/or tool calls (v4+ `ai.response.*`, v3 `ai.result.*`). */
function vercelOutput(attributes: AttributeReader): unknown {
  const text = attributes.readString('ai.response.text', 'ai.result.text');
  const object = parseJsonAttribute(attributes.readValue('ai.response.object', 'ai.result.object'));
  const toolCalls = parseJsonAttribute(attributes.readValue('ai.response.toolCalls', 'ai.result.toolCalls'));
  if (object !== undefined) return object;
  if (toolCalls !== undefined) return text ? { text, toolCalls } : toolCalls;
  return text;
}

function eventInput(events: OtlpSpanEvent[]): unknown {
  const prompt = events.find((event) => event.name === PROMPT_EVENT);
  if (prompt) return parseJsonAttribute(prompt.attributes['gen_ai.prompt']);
  const messages = events
    .filter((event) => Object.hasOwn(MESSAGE_EVENT_ROLES, event.name))
    .map((event) => ({ role: MESSAGE_EVENT_ROLES[event.name], ...eventFields(event) }));
  return messages.length ? messages : undefined;
}

function eventOutput(events: OtlpSpanEvent[]): unknown {
  const completion = events.find((event) => event.name === COMPLETION_EVENT);
  if (completion) return parseJsonAttribute(completion.attributes['gen_ai.completion']);
  const choices = events.filter((event) => event.name === CHOICE_EVENT).map(eventFields);
  if (choices.length === 0) return undefined;
  return choices.length === 1 ? choices[0] : choices;
}

/** An event's attributes as message fields (`content`, `tool_calls`, `message`, ...), JSON parsed. */
function eventFields(event: OtlpSpanEvent): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(event.attributes)
      .filter(([key]) => key !== 'gen_ai.system' && key !== 'gen_ai.provider.name')
      .map(([key, value]) => [key, parseJsonAttribute(value)]),
  );
}

function firstDefined(...values: unknown[]): unknown {
  return values.find((value) => value !== undefined);
}
