import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChatCompletionRequest, EmbeddingsRequest, Usage } from '@switchyard/shared';
import {
  type CallOptions,
  type ChatResult,
  contentText,
  type JsonObject,
  type Provider,
  toOpenAiUsage,
} from './provider.js';
import { ProviderError } from './provider-error.js';

/**
 * The built-in provider that answers without a network or a key, so a fresh install works offline
 * and benchmarks have a deterministic upstream.
 * - `mock/echo` answers with the last user message, or calls the first tool when tools are offered;
 *   once every call it made has its tool result, it answers with those results, ending the tool loop.
 * - `mock/stream` answers `x-mock-tokens` tokens (default 16), `x-mock-delay-ms` apart (default 20).
 */
export const MOCK_PROVIDER = 'mock';

export const MOCK_MODELS = ['echo', 'stream'] as const;

const WORDS = 'the quick brown fox jumps over the lazy dog while switchyard routes every token'.split(' ');

function approximateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

function headerNumber(options: CallOptions, name: string, fallback: number, max: number): number {
  const raw = options.requestHeaders[name];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(value) && value >= 0 ? Math.min(value, max) : fallback;
}

export function createMockProvider(): Provider {
  return {
    name: MOCK_PROVIDER,
    listModels: () => MOCK_MODELS,
    async chat(request: ChatCompletionRequest, options: CallOptions): Promise<ChatResult> {
      if (!(MOCK_MODELS as readonly string[]).includes(request.model)) {
        throw new ProviderError({
          provider: MOCK_PROVIDER,
          upstreamStatus: 404,
          code: 'model_not_found',
          message: `mock has no model "${request.model}" (it has ${MOCK_MODELS.join(', ')})`,
        });
      }
      const promptText = request.messages.map((message) => contentText(message.content)).join('\n');
      const lastUser = [...request.messages].reverse().find((message) => message.role === 'user');
      const results = toolResultsOf(request.messages);
      const tool = request.tools?.[0] as { function?: { name?: string } } | undefined;
      const toolName = !results && request.tool_choice !== 'none' && tool?.function?.name;
      const tokenCount = headerNumber(options, 'x-mock-tokens', 16, 100_000);
      const words =
        request.model === 'stream'
          ? Array.from({ length: tokenCount }, (_, index) => WORDS[index % WORDS.length] ?? 'token')
          : (results ?? (contentText(lastUser?.content) || 'hello')).split(/(?<=\s)/);
      const reply = words.join(request.model === 'stream' ? ' ' : '');
      const usage: Usage = {
        inputTokens: approximateTokens(promptText),
        outputTokens: request.model === 'stream' ? tokenCount : approximateTokens(reply),
        cachedInputTokens: 0,
      };
      const id = `chatcmpl-mock-${randomUUID()}`;
      const created = Math.floor(Date.now() / 1000);
      const model = `${MOCK_PROVIDER}/${request.model}`;
      const toolCall = toolName
        ? [
            {
              id: `call_${randomUUID().slice(0, 8)}`,
              type: 'function',
              function: { name: toolName, arguments: JSON.stringify({ input: reply }) },
            },
          ]
        : undefined;

      if (!request.stream) {
        const choices = Array.from({ length: request.n ?? 1 }, (_, index) => ({
          index,
          message: toolCall
            ? { role: 'assistant', content: null, tool_calls: toolCall }
            : { role: 'assistant', content: reply },
          finish_reason: toolCall ? 'tool_calls' : 'stop',
          logprobs: null,
        }));
        return {
          stream: false,
          usage,
          body: { id, object: 'chat.completion', created, model, choices, usage: toOpenAiUsage(usage) },
        };
      }

      const delayMs = headerNumber(options, 'x-mock-delay-ms', request.model === 'stream' ? 20 : 0, 10_000);
      async function* chunks(): AsyncGenerator<JsonObject> {
        const base = { id, object: 'chat.completion.chunk', created, model };
        yield { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] };
        if (toolCall) {
          yield {
            ...base,
            choices: [{ index: 0, delta: { tool_calls: [{ index: 0, ...toolCall[0] }] }, finish_reason: null }],
          };
        } else {
          for (const [index, word] of words.entries()) {
            if (delayMs) await sleep(delayMs, undefined, { signal: options.signal });
            yield {
              ...base,
              choices: [
                {
                  index: 0,
                  delta: { content: request.model === 'stream' && index > 0 ? ` ${word}` : word },
                  finish_reason: null,
                },
              ],
            };
          }
        }
        yield { ...base, choices: [{ index: 0, delta: {}, finish_reason: toolCall ? 'tool_calls' : 'stop' }] };
        yield { ...base, choices: [], usage: toOpenAiUsage(usage) };
      }
      return { stream: true, chunks: chunks() };
    },
    async embeddings(request: EmbeddingsRequest): Promise<{ body: JsonObject; usage: Usage }> {
      const inputs = Array.isArray(request.input) ? request.input : [request.input];
      const dimensions = request.dimensions ?? 8;
      const data = inputs.map((input, index) => {
        const vector = vectorOf(JSON.stringify(input), dimensions);
        // As OpenAI: base64 of little-endian float32 when asked (the openai SDK asks by default).
        const embedding =
          request.encoding_format === 'base64'
            ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
            : vector;
        return { object: 'embedding', index, embedding };
      });
      const inputTokens = inputs.reduce<number>((sum, input) => sum + approximateTokens(JSON.stringify(input)), 0);
      const usage: Usage = { inputTokens, outputTokens: 0, cachedInputTokens: 0 };
      return {
        usage,
        body: {
          object: 'list',
          data,
          model: `${MOCK_PROVIDER}/${request.model}`,
          usage: { prompt_tokens: inputTokens, total_tokens: inputTokens },
        },
      };
    },
  };
}

/**
 * What the tools returned, when the last assistant turn called tools and each call has its result
 * since (`tool` messages; Anthropic's `tool_result` blocks arrive as those): `get_weather returned:
 * 18°C`, one line per call. Undefined otherwise: after the answer, a new question calls a tool anew.
 */
function toolResultsOf(messages: ChatCompletionRequest['messages']): string | undefined {
  const lastAssistant = messages.findLastIndex((message) => message.role === 'assistant');
  const calls = (messages[lastAssistant]?.tool_calls ?? []) as Array<{ id?: string; function?: { name?: string } }>;
  if (calls.length === 0) return undefined;
  const later = messages.slice(lastAssistant + 1);
  const lines: string[] = [];
  for (const call of calls) {
    const result = later.find((message) => message.role === 'tool' && message.tool_call_id === call.id);
    if (!result) return undefined;
    lines.push(`${call.function?.name ?? 'the tool'} returned: ${contentText(result.content)}`);
  }
  return lines.join('\n');
}

/** A deterministic unit vector: the same input always embeds the same way. */
function vectorOf(text: string, dimensions: number): number[] {
  const values: number[] = [];
  for (let block = 0; values.length < dimensions; block++) {
    for (const byte of createHash('sha256').update(`${block}:${text}`).digest()) {
      if (values.length === dimensions) break;
      values.push(byte / 127.5 - 1);
    }
  }
  const norm = Math.hypot(...values) || 1;
  return values.map((value) => value / norm);
}
