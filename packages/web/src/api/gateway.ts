import { chatCompletionSchema, modelListSchema } from '@switchyard/shared';
import { type ChatUsage, readChatStream } from './chat-stream.js';
import { ApiError, parseAnswer, send } from './client.js';
import { forgetPlaygroundKey, storedPlaygroundKey } from './playground-key.js';

type GatewayOptions = { orgId: string; headers?: Record<string, string>; signal?: AbortSignal };

/**
 * `fetch` to `/v1/*` with the browser's playground key. A key that was revoked meanwhile answers
 * 401: it is forgotten, so the next call offers to create a new one.
 */
async function gatewayFetch(options: GatewayOptions & { path: string; body?: unknown }): Promise<Response> {
  const key = storedPlaygroundKey(options.orgId);
  if (!key) throw new ApiError({ status: 401, code: 'no_playground_key', message: 'No playground key yet' });
  const init = {
    method: options.body === undefined ? 'GET' : 'POST',
    headers: { ...options.headers, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  };
  try {
    return await send(options.path, init);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) forgetPlaygroundKey(options.orgId);
    throw error;
  }
}

/** `GET /v1/models`: the ids the org can send as `model` (its route aliases, every provider's models). */
export async function listGatewayModels(options: GatewayOptions): Promise<string[]> {
  const list = await parseAnswer(await gatewayFetch({ ...options, path: '/v1/models' }), modelListSchema);
  return list.data.map((model) => model.id);
}

/** What a chat call answered, and how the gateway served it (from its `x-switchyard-*` headers). */
export type ChatAnswer = {
  content: string;
  usage: ChatUsage | null;
  provider: string | null;
  attempts: string | null;
  cache: string | null;
};

/**
 * `POST /v1/chat/completions`. With `stream: true` in the body, each text delta goes to `onText` as
 * it arrives; either way the answer's whole text comes back at the end.
 */
export async function sendChat(
  options: GatewayOptions & { body: Record<string, unknown> & { stream?: boolean }; onText?: (text: string) => void },
): Promise<ChatAnswer> {
  const response = await gatewayFetch({ ...options, path: '/v1/chat/completions' });
  const served = {
    provider: response.headers.get('x-switchyard-provider'),
    attempts: response.headers.get('x-switchyard-attempts'),
    cache: response.headers.get('x-switchyard-cache'),
  };
  if (options.body.stream && response.body) {
    let content = '';
    const { usage } = await readChatStream({
      body: response.body,
      onText: (text) => {
        content += text;
        options.onText?.(text);
      },
    });
    return { content, usage, ...served };
  }
  const completion = await parseAnswer(response, chatCompletionSchema);
  return { content: completion.choices?.[0]?.message?.content ?? '', usage: completion.usage ?? null, ...served };
}
