// The least a Node gateway can do, as a yardstick: node:http in, undici out, the JSON body parsed and
// re-serialised both ways (a gateway must read the model and the usage), streams relayed chunk by
// chunk. No auth, limits, routing, records or metrics: what is left is Node's and undici's cost.
//   node bench/gateway/bare-proxy.mjs --port=9105 --upstream=http://127.0.0.1:9101
import { createServer } from 'node:http';
import { Pool } from 'undici';

const arg = (name) => process.argv.find((value) => value.startsWith(`--${name}=`))?.split('=')[1];
const port = Number(arg('port') ?? 9105);
const upstream = new Pool(arg('upstream') ?? 'http://127.0.0.1:9101', { connections: 128, keepAliveTimeout: 60_000 });

const server = createServer((request, response) =>
  relay(request, response).catch((error) => {
    if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
    response.end(String(error));
  }),
);

async function relay(request, response) {
  let raw = '';
  for await (const chunk of request) raw += chunk;
  const body = JSON.parse(raw);
  const answer = await upstream.request({
    method: 'POST',
    path: request.url,
    headers: { 'content-type': 'application/json', authorization: request.headers.authorization ?? '' },
    body: JSON.stringify(body),
  });
  if (!body.stream) {
    const parsed = await answer.body.json();
    response.writeHead(answer.statusCode, { 'content-type': 'application/json' });
    response.end(JSON.stringify(parsed));
    return;
  }
  response.writeHead(answer.statusCode, { 'content-type': 'text/event-stream' });
  for await (const chunk of answer.body) response.write(chunk);
  response.end();
}
server.keepAliveTimeout = 60_000;
server.listen(port, '127.0.0.1', () => process.stdout.write(`bare proxy on ${port}\n`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
