import { createServer, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '@switchyard/testing';

/**
 * A real OpenAI-speaking server on loopback whose model names script its failures, one step per
 * request to that model, cycling: `seq-500-ok` fails with 500, then answers, then fails again…
 * Steps: `ok`, a status (`500`, `503`), `429r<seconds>` (429 with retry-after), `hang` (never answers),
 * `cut` (a stream that sends a few chunks, then drops the connection), `cutfirst` (drops it before any).
 * Anything after the steps (`seq-500-ok-A`) only makes the name unique.
 */
export type ScriptedUpstream = {
  baseUrl: string;
  apiKey: string;
  /** How many requests each model received. */
  hits(model: string): number;
  close(): Promise<void>;
};

export const UPSTREAM_REPLY = 'Hello from the scripted upstream';
const STEP = /^(ok|hang|cut|cutfirst|\d{3}|429r\d+)$/;

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

export async function startScriptedUpstream(): Promise<ScriptedUpstream> {
  const apiKey = 'sk-scripted-upstream';
  const hits = new Map<string, number>();
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { model?: string; stream?: boolean };
    const model = String(body.model);
    const seen = hits.get(model) ?? 0;
    hits.set(model, seen + 1);
    if (request.headers.authorization !== `Bearer ${apiKey}`) {
      return sendJson(response, 401, { error: { message: 'bad key', type: 'invalid_request_error', code: null } });
    }
    const steps = model
      .replace(/^seq-/, '')
      .split('-')
      .filter((part) => STEP.test(part));
    const step = steps[seen % Math.max(1, steps.length)] ?? 'ok';
    if (step === 'hang') return; // The gateway's timeout ends it; close() drops the socket.
    const rateLimited = step.match(/^429r(\d+)$/);
    if (rateLimited) {
      const error = { message: 'slow down', type: 'rate_limit_error', code: 'rate_limited', param: null };
      return sendJson(response, 429, { error }, { 'retry-after': rateLimited[1] ?? '1' });
    }
    if (/^\d{3}$/.test(step)) {
      const error = { message: `scripted ${step}`, type: 'server_error', code: `scripted_${step}`, param: null };
      return sendJson(response, Number(step), { error });
    }
    const base = { id: 'chatcmpl-scripted', created: 1_700_000_000, model };
    const usage = { prompt_tokens: 7, completion_tokens: 5, total_tokens: 12 };
    if (!body.stream) {
      return sendJson(response, 200, {
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: UPSTREAM_REPLY }, finish_reason: 'stop' }],
        usage,
      });
    }
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    if (step === 'cutfirst') return response.socket?.destroy();
    const chunk = (delta: unknown, finishReason: string | null = null) =>
      response.write(
        `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finishReason }] })}\n\n`,
      );
    chunk({ role: 'assistant', content: '' });
    const words = UPSTREAM_REPLY.split(/(?<= )/);
    for (const [index, word] of words.entries()) {
      chunk({ content: word });
      if (step === 'cut' && index === 1) {
        // Let the chunks reach the gateway before the connection drops.
        await new Promise((resolve) => setTimeout(resolve, 20));
        return response.socket?.destroy();
      }
    }
    chunk({}, 'stop');
    response.write(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage })}\n\n`);
    response.end('data: [DONE]\n\n');
  });
  const { origin, close } = await listenOnLoopback(server);
  return { baseUrl: `${origin}/v1`, apiKey, hits: (model) => hits.get(model) ?? 0, close };
}
