import type { ChatCompletionRequest, EmbeddingsRequest, Usage } from '@switchyard/shared';
import type { Dispatcher } from 'undici';
import { z } from 'zod';
import { jsonObjectSchema, parseJson } from '../../parse-json.js';
import { parseSse } from '../streams/sse.js';
import { chunkFromGemini, fromGeminiResponse, toGeminiRequest, usageFromGemini } from './gemini-translate.js';
import { type CallOptions, type ChatResult, type JsonObject, type Provider, toOpenAiUsage } from './provider.js';
import { streamBrokeOff, streamEndedEarly } from './provider-error.js';
import { postUpstream } from './upstream-post.js';

/** What `batchEmbedContents` answers. */
const embeddingsAnswerSchema = z.object({ embeddings: z.array(z.object({ values: z.array(z.number()) })).optional() });

/** Google's Gemini API (generateContent) behind our OpenAI-shaped interface. */
export function createGeminiProvider(options: {
  apiKey: string | undefined;
  baseUrl: string;
  dispatcher: Dispatcher;
  name?: string;
}): Provider {
  const name = options.name ?? 'gemini';
  const base = options.baseUrl.replace(/\/+$/, '');

  const post = (path: string, payload: JsonObject, callOptions: CallOptions) =>
    postUpstream({
      provider: name,
      url: `${base}${path}`,
      headers: options.apiKey ? { 'x-goog-api-key': options.apiKey } : {},
      payload,
      dispatcher: options.dispatcher,
      signal: callOptions.signal,
    });

  return {
    name,
    listModels: () => [],
    async chat(chatRequest: ChatCompletionRequest, callOptions: CallOptions): Promise<ChatResult> {
      const model = encodeURIComponent(chatRequest.model);
      const payload = toGeminiRequest(chatRequest);
      if (!chatRequest.stream) {
        const response = await post(`/v1beta/models/${model}:generateContent`, payload, callOptions);
        const answer = parseJson({ text: await response.body.text(), schema: jsonObjectSchema });
        return { stream: false, ...fromGeminiResponse(answer, chatRequest.model) };
      }
      const response = await post(`/v1beta/models/${model}:streamGenerateContent?alt=sse`, payload, callOptions);
      return { stream: true, chunks: translateStream(name, response.body, chatRequest.model) };
    },
    async embeddings(
      embeddingsRequest: EmbeddingsRequest,
      callOptions: CallOptions,
    ): Promise<{ body: JsonObject; usage: Usage }> {
      const model = `models/${embeddingsRequest.model}`;
      const inputs = (Array.isArray(embeddingsRequest.input) ? embeddingsRequest.input : [embeddingsRequest.input]).map(
        String,
      );
      const response = await post(
        `/v1beta/${model}:batchEmbedContents`,
        {
          requests: inputs.map((text) => ({
            model,
            content: { parts: [{ text }] },
            ...(embeddingsRequest.dimensions ? { outputDimensionality: embeddingsRequest.dimensions } : {}),
          })),
        },
        callOptions,
      );
      const body = parseJson({ text: await response.body.text(), schema: embeddingsAnswerSchema });
      const data = (body.embeddings ?? []).map((embedding, index) => ({
        object: 'embedding',
        index,
        embedding: embedding.values,
      }));
      // Gemini does not report tokens for embeddings.
      return {
        body: { object: 'list', data, model: embeddingsRequest.model, usage: { prompt_tokens: 0, total_tokens: 0 } },
        usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 },
      };
    },
  };
}

async function* translateStream(
  provider: string,
  body: AsyncIterable<Uint8Array>,
  model: string,
): AsyncGenerator<JsonObject> {
  let usage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
  let toolCalls = 0;
  let first = true;
  let finished = false;
  try {
    for await (const event of parseSse(body)) {
      const response = parseJson({ text: event.data, schema: jsonObjectSchema });
      if (response.usageMetadata) usage = usageFromGemini(response.usageMetadata);
      const translated = chunkFromGemini(response, model, toolCalls);
      toolCalls += translated.toolCalls;
      if (first) {
        yield {
          ...translated.chunk,
          choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }],
        };
        first = false;
      }
      const choices = translated.chunk.choices as Array<{ finish_reason: string | null }>;
      if (choices.some((choice) => choice.finish_reason)) finished = true;
      yield translated.chunk;
    }
  } catch (error) {
    throw streamBrokeOff(provider, error);
  }
  if (!finished) throw streamEndedEarly(provider, 'a finish reason');
  yield {
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [],
    usage: toOpenAiUsage(usage),
  };
}
