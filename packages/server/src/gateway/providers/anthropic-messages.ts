import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { jsonObjectSchema, safeParseJson } from '../../parse-json.js';
import { parseSse } from '../streams/sse.js';
import { type AnthropicUsage, usageFromAnthropic } from './anthropic-translate.js';
import type { CallOptions, JsonObject, MessagesResult, MessagesStreamEvent } from './provider.js';
import { ProviderError, streamBrokeOff, streamEndedEarly } from './provider-error.js';

/** One POST to Anthropic's Messages API, with the provider's key and version headers. */
export type AnthropicPost = (request: {
  path: '/v1/messages' | '/v1/messages/count_tokens';
  payload: JsonObject;
  signal: AbortSignal;
  headers?: Record<string, string>;
}) => Promise<Dispatcher.ResponseData>;

/** Client headers that decide what Anthropic accepts in the body (beta fields), so they go up with it. */
const FORWARDED_HEADERS = ['anthropic-beta'] as const;

/** HTTP statuses Anthropic uses for the error types it can also send inside a stream. */
const STREAM_ERROR_STATUS: Record<string, number> = {
  rate_limit_error: 429,
  overloaded_error: 529,
  api_error: 500,
  timeout_error: 504,
};

function forwardedHeaders(requestHeaders: CallOptions['requestHeaders']): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = requestHeaders[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

/** What the native stream reads of an event; the event's text itself goes to the client untouched. */
const nativeEventSchema = z.object({
  type: z.string().optional().catch(undefined),
  message: z.object({ usage: z.unknown().optional() }).optional().catch(undefined),
  usage: z.unknown().optional(),
  error: z
    .object({ type: z.string().optional().catch(undefined), message: z.string().optional().catch(undefined) })
    .optional()
    .catch(undefined),
});

function parseUpstreamJson<TSchema extends z.ZodType>(options: {
  provider: string;
  text: string;
  schema: TSchema;
}): z.output<TSchema> {
  const parsed = safeParseJson({ text: options.text, schema: options.schema });
  if (parsed.success) return parsed.value;
  throw new ProviderError({
    provider: options.provider,
    upstreamStatus: 502,
    code: 'upstream_invalid_json',
    message: `${options.provider} answered with invalid JSON: ${options.text.slice(0, 200)}`,
    cause: parsed.error,
  });
}

/** Keeps the numbers of a later usage object over the earlier one (Anthropic sends `null` for "unchanged"). */
function mergeUsage(earlier: AnthropicUsage, later: unknown): AnthropicUsage {
  const merged: Record<string, unknown> = { ...earlier };
  for (const [key, value] of Object.entries((later ?? {}) as Record<string, unknown>))
    if (typeof value === 'number') merged[key] = value;
  return merged as AnthropicUsage;
}

/**
 * The upstream's stream events, unchanged, each with the usage counted so far: `message_start`
 * carries the prompt's tokens (cache reads and writes included), `message_delta` the output's.
 * An `error` event or a stream that stops before `message_stop` ends in a ProviderError.
 */
async function* nativeEvents(options: {
  provider: string;
  body: AsyncIterable<Uint8Array>;
}): AsyncGenerator<MessagesStreamEvent> {
  const { provider } = options;
  let counted: AnthropicUsage = {};
  let stopped = false;
  try {
    for await (const sse of parseSse(options.body)) {
      const event = parseUpstreamJson({ provider, text: sse.data, schema: nativeEventSchema });
      const type = sse.event ?? String(event.type);
      if (type === 'error') {
        const errorType = event.error?.type ?? 'api_error';
        throw new ProviderError({
          provider,
          upstreamStatus: STREAM_ERROR_STATUS[errorType] ?? 500,
          code: errorType,
          message: `${provider} stream error: ${event.error?.message ?? 'unknown'}`,
        });
      }
      if (type === 'message_start') counted = mergeUsage({}, event.message?.usage);
      else if (type === 'message_delta') counted = mergeUsage(counted, event.usage);
      else if (type === 'message_stop') stopped = true;
      yield { type, data: sse.data, usage: usageFromAnthropic(counted) };
    }
  } catch (error) {
    throw streamBrokeOff(provider, error);
  }
  if (!stopped) throw streamEndedEarly(provider, 'message_stop');
}

/**
 * Sends a Messages API body to Anthropic as the client wrote it (the caller has set the upstream
 * model name) and returns the answer as Anthropic wrote it: the message, or its stream of events.
 */
export async function sendAnthropicMessages(options: {
  provider: string;
  post: AnthropicPost;
  body: JsonObject;
  callOptions: CallOptions;
}): Promise<MessagesResult> {
  const { provider, body, callOptions } = options;
  const response = await options.post({
    path: '/v1/messages',
    payload: body,
    signal: callOptions.signal,
    headers: forwardedHeaders(callOptions.requestHeaders),
  });
  if (body.stream !== true) {
    const message = parseUpstreamJson({ provider, text: await response.body.text(), schema: jsonObjectSchema });
    return { stream: false, body: message, usage: usageFromAnthropic(mergeUsage({}, message.usage)) };
  }
  return { stream: true, events: nativeEvents({ provider, body: response.body }) };
}

const tokenCountSchema = z.looseObject({ input_tokens: z.number().int().min(0) });

/**
 * Asks Anthropic to count a Messages body's input tokens (`/v1/messages/count_tokens`, which costs
 * nothing): the body goes up as the client wrote it, with the upstream model name already set.
 */
export async function countAnthropicTokens(options: {
  provider: string;
  post: AnthropicPost;
  body: JsonObject;
  callOptions: CallOptions;
}): Promise<number> {
  const { provider, body, callOptions } = options;
  const response = await options.post({
    path: '/v1/messages/count_tokens',
    payload: body,
    signal: callOptions.signal,
    headers: forwardedHeaders(callOptions.requestHeaders),
  });
  return parseUpstreamJson({ provider, text: await response.body.text(), schema: tokenCountSchema }).input_tokens;
}
