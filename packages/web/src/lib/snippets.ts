/**
 * Copy-paste snippets for sending the first request, filled with this server's URL and a model that
 * answers here (`mock/echo` on a fresh install, which needs no provider key).
 */
export function snippetsFor(origin: string, model = 'mock/echo') {
  return {
    curl: `curl ${origin}/v1/chat/completions \\
  -H "Authorization: Bearer $SWITCHYARD_API_KEY" \\
  -H "Content-Type: application/json" \\
  -d '{"model": "${model}", "messages": [{"role": "user", "content": "Hello"}]}'`,
    openaiNode: `import OpenAI from 'openai';

const client = new OpenAI({
  baseURL: '${origin}/v1',
  apiKey: process.env.SWITCHYARD_API_KEY,
});

const completion = await client.chat.completions.create({
  model: '${model}', // or any provider/model this server has, or one of your route aliases
  messages: [{ role: 'user', content: 'Hello' }],
});
console.log(completion.choices[0].message.content);`,
    openaiPython: `from openai import OpenAI
import os

client = OpenAI(base_url="${origin}/v1", api_key=os.environ["SWITCHYARD_API_KEY"])
completion = client.chat.completions.create(
    model="${model}",
    messages=[{"role": "user", "content": "Hello"}],
)
print(completion.choices[0].message.content)`,
    sdk: `// @switchyard/sdk is not on the npm registry yet. In a clone of Switchyard:
//   cd packages/sdk && npm pack --pack-destination /path/to/your-app
// then in your app: npm install ./switchyard-sdk-0.1.0.tgz openai
import OpenAI from 'openai';
import { init, trace, wrapOpenAI } from '@switchyard/sdk';

init({ endpoint: '${origin}', apiKey: process.env.SWITCHYARD_API_KEY });
const openai = wrapOpenAI(new OpenAI());

await trace('support-chat', async () => {
  await openai.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Where is my order?' }],
  });
});`,
    otlp: `export OTEL_EXPORTER_OTLP_ENDPOINT=${origin}/otel
export OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer%20$SWITCHYARD_API_KEY"
export OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf`,
  };
}
