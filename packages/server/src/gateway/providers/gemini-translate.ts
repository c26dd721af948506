import type { ChatCompletionRequest, ChatMessage, Usage } from '@switchyard/shared';
import { contentText, type JsonObject, parseDataUrl, toOpenAiUsage } from './provider.js';
import { parseToolArguments } from './tool-arguments.js';

type Part = Record<string, unknown>;

function userParts(content: ChatMessage['content']): Part[] {
  if (!content) return [];
  if (typeof content === 'string') return [{ text: content }];
  return content.flatMap((part): Part[] => {
    if (part.type === 'text') return [{ text: String(part.text ?? '') }];
    if (part.type === 'image_url') {
      const image = part.image_url as { url?: string } | string | undefined;
      const url = typeof image === 'string' ? image : String(image?.url ?? '');
      const data = parseDataUrl(url);
      return [data ? { inlineData: { mimeType: data.mediaType, data: data.data } } : { fileData: { fileUri: url } }];
    }
    return [];
  });
}

/** OpenAI chat request → Gemini generateContent request. */
export function toGeminiRequest(request: ChatCompletionRequest): JsonObject {
  const system = request.messages
    .filter((message) => message.role === 'system' || message.role === 'developer')
    .map((message) => contentText(message.content))
    .filter(Boolean)
    .join('\n\n');
  // Gemini names the function a result belongs to; OpenAI names the call. Remember which is which.
  const functionOfCall = new Map<string, string>();
  const contents: Array<{ role: 'user' | 'model'; parts: Part[] }> = [];
  const push = (role: 'user' | 'model', parts: Part[]) => {
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of request.messages) {
    if (message.role === 'system' || message.role === 'developer') continue;
    if (message.role === 'user') push('user', userParts(message.content));
    else if (message.role === 'tool' || message.role === 'function') {
      const name = functionOfCall.get(String(message.tool_call_id)) ?? String(message.name ?? 'tool');
      push('user', [{ functionResponse: { name, response: { content: contentText(message.content) } } }]);
    } else {
      const parts: Part[] = [];
      const text = contentText(message.content);
      if (text) parts.push({ text });
      for (const call of (message.tool_calls ?? []) as Array<{
        id: string;
        function?: { name?: string; arguments?: string };
      }>) {
        functionOfCall.set(call.id, call.function?.name ?? '');
        parts.push({
          functionCall: { name: call.function?.name ?? '', args: parseToolArguments(call.function?.arguments) },
        });
      }
      push('model', parts);
    }
  }
  const tools = (
    request.tools as
      | Array<{ type: string; function?: { name: string; description?: string; parameters?: unknown } }>
      | undefined
  )?.filter((tool) => tool.function);
  const choice = request.tool_choice as string | { function?: { name?: string } } | undefined;
  const functionCallingConfig =
    choice === 'required'
      ? { mode: 'ANY' }
      : choice === 'none'
        ? { mode: 'NONE' }
        : typeof choice === 'object' && choice.function?.name
          ? { mode: 'ANY', allowedFunctionNames: [choice.function.name] }
          : undefined;
  const stop =
    request.stop === null || request.stop === undefined
      ? undefined
      : Array.isArray(request.stop)
        ? request.stop
        : [request.stop];
  const generationConfig = {
    ...(request.temperature === null || request.temperature === undefined ? {} : { temperature: request.temperature }),
    ...(request.top_p === null || request.top_p === undefined ? {} : { topP: request.top_p }),
    ...((request.max_completion_tokens ?? request.max_tokens)
      ? { maxOutputTokens: request.max_completion_tokens ?? request.max_tokens }
      : {}),
    ...(stop ? { stopSequences: stop } : {}),
    ...((request.n ?? 1) > 1 ? { candidateCount: request.n } : {}),
    ...(request.response_format?.type === 'json_object' || request.response_format?.type === 'json_schema'
      ? { responseMimeType: 'application/json' }
      : {}),
  };
  return {
    contents,
    ...(system ? { systemInstruction: { parts: [{ text: system }] } } : {}),
    ...(Object.keys(generationConfig).length ? { generationConfig } : {}),
    ...(tools?.length
      ? {
          tools: [
            {
              functionDeclarations: tools.map((tool) => ({
                name: tool.function?.name,
                description: tool.function?.description,
                parameters: tool.function?.parameters,
              })),
            },
          ],
        }
      : {}),
    ...(functionCallingConfig ? { toolConfig: { functionCallingConfig } } : {}),
  };
}

const FINISH_REASONS: Record<string, string> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
};

type Candidate = { index?: number; content?: { parts?: Part[] }; finishReason?: string };

export function usageFromGemini(metadata: unknown): Usage {
  const usage = (metadata ?? {}) as {
    promptTokenCount?: number;
    candidatesTokenCount?: number;
    cachedContentTokenCount?: number;
    thoughtsTokenCount?: number;
  };
  return {
    inputTokens: usage.promptTokenCount ?? 0,
    outputTokens: (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0),
    cachedInputTokens: usage.cachedContentTokenCount ?? 0,
  };
}

function toolCallsOf(parts: Part[], choiceIndex: number) {
  return parts
    .filter((part) => part.functionCall)
    .map((part, index) => {
      const call = part.functionCall as { name: string; args?: unknown; id?: string };
      return {
        id: call.id ?? `call_${choiceIndex}_${index}`,
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
      };
    });
}

/** Gemini response → OpenAI chat.completion. */
export function fromGeminiResponse(response: JsonObject, model: string): { body: JsonObject; usage: Usage } {
  const usage = usageFromGemini(response.usageMetadata);
  const choices = ((response.candidates as Candidate[] | undefined) ?? []).map((candidate, position) => {
    const index = candidate.index ?? position;
    const parts = candidate.content?.parts ?? [];
    const text = parts.map((part) => (typeof part.text === 'string' && !part.thought ? part.text : '')).join('');
    const toolCalls = toolCallsOf(parts, index);
    return {
      index,
      message: {
        role: 'assistant',
        content: text || (toolCalls.length ? null : ''),
        ...(toolCalls.length ? { tool_calls: toolCalls } : {}),
      },
      finish_reason: toolCalls.length ? 'tool_calls' : (FINISH_REASONS[String(candidate.finishReason)] ?? 'stop'),
      logprobs: null,
    };
  });
  return {
    usage,
    body: {
      id: `chatcmpl-${String(response.responseId ?? Date.now())}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: String(response.modelVersion ?? model),
      choices,
      usage: toOpenAiUsage(usage),
    },
  };
}

/** One streamed Gemini response (a delta) → the OpenAI chunk carrying the same delta. */
export function chunkFromGemini(
  response: JsonObject,
  model: string,
  callsSoFar: number,
): { chunk: JsonObject; toolCalls: number } {
  let toolCalls = 0;
  const choices = ((response.candidates as Candidate[] | undefined) ?? []).map((candidate, position) => {
    const index = candidate.index ?? position;
    const parts = candidate.content?.parts ?? [];
    const text = parts.map((part) => (typeof part.text === 'string' && !part.thought ? part.text : '')).join('');
    const calls = toolCallsOf(parts, index).map((call, offset) => ({ index: callsSoFar + offset, ...call }));
    toolCalls += calls.length;
    const finish = candidate.finishReason
      ? callsSoFar + calls.length > 0
        ? 'tool_calls'
        : (FINISH_REASONS[candidate.finishReason] ?? 'stop')
      : null;
    return {
      index,
      delta: { ...(text ? { content: text } : {}), ...(calls.length ? { tool_calls: calls } : {}) },
      finish_reason: finish,
    };
  });
  return {
    chunk: {
      id: `chatcmpl-${String(response.responseId ?? '')}`,
      object: 'chat.completion.chunk',
      created: Math.floor(Date.now() / 1000),
      model: String(response.modelVersion ?? model),
      choices,
    },
    toolCalls,
  };
}
