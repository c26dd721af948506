import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.js';

/**
 * A real HTTP server on loopback speaking Gemini's generateContent API: `:generateContent`,
 * `:streamGenerateContent?alt=sse` and `:batchEmbedContents`. Answers with text, or a function
 * call when tools are offered; `fail-<status>` models fail.
 */
export type FakeGemini = {
  baseUrl: string;
  apiKey: string;
  received: Array<{ url: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }>;
  close(): Promise<void>;
};

export const GEMINI_REPLY = 'Hello from the fake Gemini';
export const GEMINI_USAGE = {
  promptTokenCount: 9,
  candidatesTokenCount: 6,
  cachedContentTokenCount: 4,
  totalTokenCount: 15,
};

export async function startFakeGemini(): Promise<FakeGemini> {
  const fake = { apiKey: 'gemini-fake-key', received: [] as FakeGemini['received'] };
  const server = createServer(async (request, response) => {
    let raw = '';
    for await (const chunk of request) raw += chunk;
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    const url = request.url ?? '';
    fake.received.push({ url, headers: request.headers, body });
    if (request.headers['x-goog-api-key'] !== fake.apiKey)
      return sendJson(response, 403, {
        error: { code: 403, message: 'API key not valid', status: 'PERMISSION_DENIED' },
      });
    const model = decodeURIComponent(url.match(/models\/([^:]+):/)?.[1] ?? '');
    const failure = model.match(/^fail-(\d{3})$/);
    if (failure)
      return sendJson(response, Number(failure[1]), {
        error: { code: Number(failure[1]), message: `simulated ${failure[1]}`, status: 'UNAVAILABLE' },
      });
    if (url.includes(':batchEmbedContents')) {
      const requests = body.requests as unknown[];
      return sendJson(response, 200, { embeddings: requests.map(() => ({ values: [0.5, 0.25] })) });
    }
    const tools = body.tools as Array<{ functionDeclarations: Array<{ name: string }> }> | undefined;
    const call = tools?.[0]?.functionDeclarations[0];
    const parts = call ? [{ functionCall: { name: call.name, args: { city: 'Paris' } } }] : [{ text: GEMINI_REPLY }];
    const full = {
      candidates: [{ content: { role: 'model', parts }, finishReason: 'STOP', index: 0 }],
      usageMetadata: GEMINI_USAGE,
      modelVersion: `${model}-001`,
      responseId: 'resp-fake',
    };
    if (!url.includes(':streamGenerateContent')) return sendJson(response, 200, full);
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (payload: unknown) => response.write(`data: ${JSON.stringify(payload)}\n\n`);
    if (call) send(full);
    else {
      const words = GEMINI_REPLY.split(/(?<= )/);
      words.forEach((word, index) => {
        const last = index === words.length - 1;
        send({
          candidates: [
            {
              content: { role: 'model', parts: [{ text: word }] },
              index: 0,
              ...(last ? { finishReason: 'STOP' } : {}),
            },
          ],
          ...(last ? { usageMetadata: GEMINI_USAGE } : {}),
          modelVersion: `${model}-001`,
          responseId: 'resp-fake',
        });
      });
    }
    response.end();
  });
  const { origin, close } = await listenOnLoopback(server);
  return Object.assign(fake, { baseUrl: origin, close });
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
