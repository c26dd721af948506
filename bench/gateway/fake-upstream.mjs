// A standalone fake OpenAI upstream for benchmarks: fixed latency, deterministic answers. The model
// `instant` answers at once, whatever the latency options say: the gateway's own cost, unhidden.
//   node bench/gateway/fake-upstream.mjs --port=9101 --latency-ms=20 --chunks=10 --chunk-delay-ms=5
import { createServer } from 'node:http';

const arg = (name, fallback) =>
  Number(process.argv.find((value) => value.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const port = arg('port', 9101);
const latencyMs = arg('latency-ms', 20);
const chunks = arg('chunks', 10);
const chunkDelayMs = arg('chunk-delay-ms', 5);
// 0 ms answers at once, not on the next timer tick.
const sleep = (ms) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
const usage = { prompt_tokens: 12, completion_tokens: chunks, total_tokens: 12 + chunks };

const server = createServer(async (request, response) => {
  let raw = '';
  for await (const chunk of request) raw += chunk;
  const body = raw ? JSON.parse(raw) : {};
  const base = { id: 'chatcmpl-bench', created: 1_700_000_000, model: body.model ?? 'bench' };
  const instant = body.model === 'instant';
  if (!body.stream) {
    await sleep(instant ? 0 : latencyMs);
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok '.repeat(chunks) }, finish_reason: 'stop' }],
        usage,
      }),
    );
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream' });
  const send = (payload) => response.write(`data: ${JSON.stringify(payload)}\n\n`);
  await sleep(instant ? 0 : latencyMs);
  for (let index = 0; index < chunks; index++) {
    send({
      ...base,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: { content: 'ok ' }, finish_reason: null }],
    });
    await sleep(instant ? 0 : chunkDelayMs);
  }
  send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
  if (body.stream_options?.include_usage) send({ ...base, object: 'chat.completion.chunk', choices: [], usage });
  response.end('data: [DONE]\n\n');
});
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`fake upstream on ${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
