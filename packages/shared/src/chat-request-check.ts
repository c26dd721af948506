import type { ChatCompletionRequest } from './gateway.js';

/**
 * The fast path of `chatCompletionRequestSchema`: true only for a body the schema accepts and returns
 * unchanged, checked by hand in one pass with no copies. Anything else (including every invalid body)
 * goes to the schema, which names what is wrong. Keep the two in step: chat-request-check.test.ts
 * holds them to the same answers.
 */
export function isPlainChatRequest(body: unknown): body is ChatCompletionRequest {
  if (!isObject(body)) return false;
  const { model, messages } = body;
  // The schema trims the model: a name with spaces around it is not returned unchanged.
  if (typeof model !== 'string' || model.length === 0 || model.length > 200 || model.trim() !== model) return false;
  if (!Array.isArray(messages) || messages.length === 0 || !messages.every(isPlainMessage)) return false;
  return (
    optional(body.stream, isBoolean) &&
    optional(
      body.stream_options,
      (value) => value === null || (isObject(value) && optional(value.include_usage, isBoolean)),
    ) &&
    optional(body.n, (value) => Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 128) &&
    optional(body.max_tokens, isPositiveIntegerOrNull) &&
    optional(body.max_completion_tokens, isPositiveIntegerOrNull) &&
    optional(body.temperature, (value) => value === null || isNumberIn(value, 0, 2)) &&
    optional(body.top_p, (value) => value === null || isNumberIn(value, 0, 1)) &&
    optional(
      body.stop,
      (value) =>
        value === null ||
        typeof value === 'string' ||
        (Array.isArray(value) && value.length <= 4 && value.every((stop) => typeof stop === 'string')),
    ) &&
    optional(body.tools, (value) => Array.isArray(value) && value.every(hasStringType)) &&
    optional(body.response_format, hasStringType) &&
    optional(body.user, (value) => typeof value === 'string')
  );
}

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

function isPlainMessage(message: unknown): boolean {
  if (!isObject(message) || typeof message.role !== 'string' || !ROLES.has(message.role)) return false;
  const { content } = message;
  return (
    optional(
      content,
      (value) => value === null || typeof value === 'string' || (Array.isArray(value) && value.every(hasStringType)),
    ) &&
    optional(message.name, (value) => typeof value === 'string') &&
    optional(message.tool_call_id, (value) => typeof value === 'string') &&
    optional(
      message.tool_calls,
      (value) =>
        Array.isArray(value) &&
        value.every((call) => isObject(call) && typeof call.id === 'string' && typeof call.type === 'string'),
    )
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Absent, or present and valid. (The schema reads a key set to `undefined` as absent; JSON has none.) */
function optional(value: unknown, valid: (value: unknown) => boolean): boolean {
  return value === undefined || valid(value);
}

const isBoolean = (value: unknown) => typeof value === 'boolean';
const hasStringType = (value: unknown) => isObject(value) && typeof value.type === 'string';
const isNumberIn = (value: unknown, min: number, max: number) =>
  typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
const isPositiveIntegerOrNull = (value: unknown) =>
  value === null || (Number.isSafeInteger(value) && (value as number) > 0);
