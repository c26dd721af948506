import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.js';

/**
 * A real HTTP server on loopback that speaks OpenAI's API, for the gateway to call. The model name
 * picks the behaviour:
 * - `gpt-test` (or any other name) answers;
 * - `fail-<status>` fails with that status (429 says retry-after: 7);
 * - `flaky-<n>-<tag>` fails with 503 the first n times, then answers;
 * - `ratelimit-once-<tag>` answers 429 with retry-after: 1 once, then answers;
 * - `slow-<ms>` waits that long before answering;
 * - `cut-stream` breaks off after one chunk, `cut-before-first` before any;
 * - `slow-stream` streams 100 chunks 50 ms apart.
 */
export type FakeOpenAi = {
  baseUrl: string;
  apiKey: string;
  /** Every request it received, in order. */
  received: Array<{ path: string; headers: IncomingMessage['headers']; body: Record<string, unknown>; at: number }>;
  /** How many streams the client closed before the end. */
  streamsClosedEarly: number;
  close(): Promise<void>;
};

export const FAKE_REPLY = 'Hello from the fake upstream';
export const FAKE_USAGE = {
  prompt_tokens: 11,
  completion_tokens: 5,
  total_tokens: 16,
  prompt_tokens_details: { cached_tokens: 3 },
};

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const fake: Omit<FakeOpenAi, 'baseUrl' | 'close'> = {
    apiKey: 'sk-fake-upstream-key',
    received: [],
    streamsClosedEarly: 0,
  };
  const timesSeen = new Map<string, number>();
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>) : {};
    fake.received.push({ path: request.url ?? '', headers: request.headers, body, at: performance.now() });
    if (request.headers.authorization !== `Bearer ${fake.apiKey}`) {
      return sendJson(response, 401, {
        error: {
          message: 'Incorrect API key provided',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
          param: null,
        },
      });
    }
    const model = String(body.model);
    const seen = (timesSeen.get(model) ?? 0) + 1;
    timesSeen.set(model, seen);
    const flaky = model.match(/^flaky-(\d+)-/);
    if (flaky && seen <= Number(flaky[1])) {
      return sendJson(response, 503, {
        error: { message: `flaky failure ${seen}`, type: 'server_error', code: 'flaky', param: null },
      });
    }
    if (model.startsWith('ratelimit-once-') && seen === 1) {
      return sendJson(
        response,
        429,
        { error: { message: 'slow down', type: 'rate_limit_error', code: 'rate_limited', param: null } },
        { 'retry-after': '1' },
      );
    }
    const slow = model.match(/^slow-(\d+)$/);
    if (slow) await new Promise((resolve) => setTimeout(resolve, Number(slow[1])));
    if (response.destroyed) return;
    const failure = model.match(/^fail-(\d{3})$/);
    if (failure) {
      const status = Number(failure[1]);
      const headers = status === 429 ? { 'retry-after': '7' } : undefined;
      return sendJson(
        response,
        status,
        {
          error: {
            message: `simulated ${status}`,
            type: 'invalid_request_error',
            code: `simulated_${status}`,
            param: null,
          },
        },
        headers,
      );
    }
    if (request.url === '/v1/embeddings') {
      const inputs = Array.isArray(body.input) ? body.input : [body.input];
      return sendJson(response, 200, {
        object: 'list',
        model,
        data: inputs.map((_, index) => ({
          object: 'embedding',
          index,
          embedding: encodeEmbedding([0.1, 0.2, 0.3], body.encoding_format),
        })),
        usage: { prompt_tokens: 4, total_tokens: 4 },
      });
    }
    if (request.url !== '/v1/chat/completions') return sendJson(response, 404, { error: { message: 'no such route' } });

    const tools = body.tools as Array<{ function: { name: string } }> | undefined;
    const toolCall = tools?.[0]
      ? {
          id: 'call_fake1',
          type: 'function',
          function: { name: tools[0].function.name, arguments: '{"city":"Paris"}' },
        }
      : undefined;
    const base = { id: 'chatcmpl-fake', created: 1_700_000_000, model: `${model}-2026-01-01` };
    if (!body.stream) {
      return sendJson(response, 200, {
        ...base,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            message: toolCall
              ? { role: 'assistant', content: null, tool_calls: [toolCall] }
              : { role: 'assistant', content: FAKE_REPLY },
            finish_reason: toolCall ? 'tool_calls' : 'stop',
          },
        ],
        usage: FAKE_USAGE,
      });
    }

    response.writeHead(200, { 'content-type': 'text/event-stream' });
    let finished = false;
    response.on('close', () => {
      if (!finished) fake.streamsClosedEarly += 1;
    });
    const includeUsage = (body.stream_options as { include_usage?: boolean } | undefined)?.include_usage;
    const send = (payload: unknown) => response.write(`data: ${JSON.stringify(payload)}\n\n`);
    const chunk = (delta: unknown, finishReason: string | null = null) =>
      send({
        ...base,
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta, finish_reason: finishReason }],
        ...(includeUsage ? { usage: null } : {}),
      });
    if (model === 'cut-before-first') {
      response.socket?.destroy();
      return;
    }
    chunk({ role: 'assistant', content: '' });
    if (model === 'cut-stream') {
      chunk({ content: 'Hello' });
      await new Promise((resolve) => setTimeout(resolve, 20));
      response.socket?.destroy();
      return;
    }
    const words =
      model === 'slow-stream' ? Array.from({ length: 100 }, (_, index) => `w${index} `) : FAKE_REPLY.split(/(?<= )/);
    if (toolCall) chunk({ tool_calls: [{ index: 0, ...toolCall }] });
    else {
      for (const word of words) {
        if (response.destroyed) return;
        if (model === 'slow-stream') await new Promise((resolve) => setTimeout(resolve, 50));
        chunk({ content: word });
      }
    }
    chunk({}, toolCall ? 'tool_calls' : 'stop');
    if (includeUsage) send({ ...base, object: 'chat.completion.chunk', choices: [], usage: FAKE_USAGE });
    response.write('data: [DONE]\n\n');
    finished = true;
    response.end();
  });
  const { origin, close } = await listenOnLoopback(server);
  return Object.assign(fake, { baseUrl: `${origin}/v1`, close });
}

/** As OpenAI does: floats, or with `encoding_format: "base64"` little-endian float32 in base64. */
export function encodeEmbedding(vector: number[], format: unknown): number[] | string {
  return format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
