import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './loopback-server.js';

/**
 * A real HTTP server on loopback speaking Anthropic's Messages API (`POST /v1/messages`, JSON and
 * named SSE events, and `POST /v1/messages/count_tokens`, which answers `ANTHROPIC_TOKEN_COUNT`
 * whatever the body). The model picks the behaviour: `fail-<status>` fails; `thinker` answers with a
 * `thinking` block before its text; `cut-stream` breaks its stream off after the first words;
 * otherwise it answers with text, or with a tool call when tools are offered.
 */
export type FakeAnthropic = {
  baseUrl: string;
  apiKey: string;
  received: Array<{ path: string; headers: IncomingMessage['headers']; body: Record<string, unknown> }>;
  close(): Promise<void>;
};

export const ANTHROPIC_REPLY = 'Hello from the fake Claude';
/** What `count_tokens` answers: a number no tokenizer of ours would arrive at for a short prompt. */
export const ANTHROPIC_TOKEN_COUNT = 4_321;
export const ANTHROPIC_USAGE = {
  input_tokens: 20,
  output_tokens: 7,
  cache_read_input_tokens: 5,
  cache_creation_input_tokens: 2,
};

/** The `thinking` block `thinker` answers with, as Anthropic sends it (the signature is opaque). */
export const ANTHROPIC_THINKING = {
  type: 'thinking',
  thinking: 'The user said hi; a greeting back will do.',
  signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds',
};

export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const fake = { apiKey: 'sk-ant-fake', received: [] as FakeAnthropic['received'] };
  const server = createServer(async (request, response) => {
    let raw = '';
    for await (const chunk of request) raw += chunk;
    const body = JSON.parse(raw || '{}') as Record<string, unknown>;
    const path = (request.url ?? '').split('?')[0] ?? '';
    fake.received.push({ path, headers: request.headers, body });
    if (request.headers['x-api-key'] !== fake.apiKey)
      return sendJson(response, 401, {
        type: 'error',
        error: { type: 'authentication_error', message: 'invalid x-api-key' },
      });
    const model = String(body.model);
    const failure = model.match(/^fail-(\d{3})$/);
    if (failure)
      return sendJson(response, Number(failure[1]), {
        type: 'error',
        error: { type: 'overloaded_error', message: `simulated ${failure[1]}` },
      });
    if (path === '/v1/messages/count_tokens') return sendJson(response, 200, { input_tokens: ANTHROPIC_TOKEN_COUNT });
    if (path !== '/v1/messages')
      return sendJson(response, 404, {
        type: 'error',
        error: { type: 'not_found_error', message: `no route ${path}` },
      });
    const tools = body.tools as Array<{ name: string }> | undefined;
    const toolUse = tools?.[0]
      ? { type: 'tool_use', id: 'toolu_fake1', name: tools[0].name, input: { city: 'Paris' } }
      : undefined;
    const thinking = model === 'thinker' ? [ANTHROPIC_THINKING] : [];
    const message = {
      id: 'msg_fake',
      type: 'message',
      role: 'assistant',
      model: `${model}-20260101`,
      content: toolUse
        ? [{ type: 'text', text: 'Let me check.' }, toolUse]
        : [...thinking, { type: 'text', text: ANTHROPIC_REPLY }],
      stop_reason: toolUse ? 'tool_use' : 'end_turn',
      stop_sequence: null,
      usage: ANTHROPIC_USAGE,
    };
    if (!body.stream) return sendJson(response, 200, message);

    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const send = (event: string, data: unknown) =>
      response.write(`event: ${event}\ndata: ${JSON.stringify({ type: event, ...(data as object) })}\n\n`);
    send('message_start', {
      message: { ...message, content: [], stop_reason: null, usage: { ...ANTHROPIC_USAGE, output_tokens: 1 } },
    });
    send('ping', {});
    if (toolUse) {
      send('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      send('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Let me check.' } });
      send('content_block_stop', { index: 0 });
      send('content_block_start', {
        index: 1,
        content_block: { type: 'tool_use', id: toolUse.id, name: toolUse.name, input: {} },
      });
      send('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"city":' } });
      send('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: ' "Paris"}' } });
      send('content_block_stop', { index: 1 });
    } else {
      if (thinking.length) {
        send('content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } });
        send('content_block_delta', {
          index: 0,
          delta: { type: 'thinking_delta', thinking: ANTHROPIC_THINKING.thinking },
        });
        send('content_block_delta', {
          index: 0,
          delta: { type: 'signature_delta', signature: ANTHROPIC_THINKING.signature },
        });
        send('content_block_stop', { index: 0 });
      }
      const index = thinking.length;
      send('content_block_start', { index, content_block: { type: 'text', text: '' } });
      for (const word of ANTHROPIC_REPLY.split(/(?<= )/)) {
        send('content_block_delta', { index, delta: { type: 'text_delta', text: word } });
        // Closes the connection mid-body (no final chunk): what a dropped upstream looks like.
        if (model === 'cut-stream') return response.socket?.end();
      }
      send('content_block_stop', { index });
    }
    send('message_delta', {
      delta: { stop_reason: message.stop_reason, stop_sequence: null },
      usage: { output_tokens: ANTHROPIC_USAGE.output_tokens },
    });
    send('message_stop', {});
    response.end();
  });
  const { origin, close } = await listenOnLoopback(server);
  return Object.assign(fake, { baseUrl: origin, close });
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
