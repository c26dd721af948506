import type { FakeOpenAi } from '@switchyard/testing';
import type { SessionClient } from './test-app.js';

/**
 * Gives the org of `admin` its own OpenAI-compatible provider `house` (the fake upstream, reached over
 * HTTP) and its own price for every `house/*` model, in USD per million tokens.
 */
export async function addHouseProvider(options: {
  admin: SessionClient;
  upstream: FakeOpenAi;
  input: number;
  output: number;
}): Promise<void> {
  const { admin, upstream } = options;
  const provider = await admin.request('POST', '/api/providers', {
    name: 'house',
    kind: 'openai-compatible',
    baseUrl: upstream.baseUrl,
    apiKey: upstream.apiKey,
  });
  if (provider.statusCode !== 201) throw new Error(`provider create failed: ${provider.statusCode} ${provider.body}`);
  const price = await admin.request('PUT', '/api/prices', {
    model: 'house/*',
    input: options.input,
    output: options.output,
  });
  if (price.statusCode !== 200) throw new Error(`price put failed: ${price.statusCode} ${price.body}`);
}
