import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, signUp, type TestContext } from '../../test/test-app.js';
import { MAX_REQUEST_DEPTH } from './json-depth-guard.js';

/** JSON nested deeper than any real request: JSON.stringify overflows on it a few thousand levels down. */
let context: TestContext;
let secret: string;

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

beforeAll(async () => {
  context = await createTestApp();
  const owner = await signUp(context.app, { orgName: 'Deep' });
  secret = (await createKey(owner.client, { name: 'app' })).secret;
});
afterAll(() => context?.close());

const post = (url: string, payload: string) =>
  context.app.inject({
    method: 'POST',
    url,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    payload,
  });

describe('the JSON depth guard', () => {
  it('refuses a large ingest batch holding a 6,000-deep value with a 400, not a 500', async () => {
    const now = new Date().toISOString();
    // Over 1 MB, so the route measures each event's size, which serialises it.
    const body = `{"batch":[{"id":"e1","type":"trace-create","timestamp":"${now}","body":{"id":"t1","metadata":${nested(6_000)}}},{"id":"e2","type":"trace-create","timestamp":"${now}","body":{"id":"t2","name":"${'x'.repeat(1_100_000)}"}}]}`;
    const response = await post('/v1/ingest', body);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain(`nested deeper than ${MAX_REQUEST_DEPTH} levels`);
  });

  it('refuses a chat request with a 6,000-deep tool schema in the OpenAI error shape', async () => {
    const response = await post(
      '/v1/chat/completions',
      `{"model":"mock/echo","messages":[{"role":"user","content":"hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":${nested(6_000)}}}]}`,
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toMatchObject({ type: 'invalid_request_error' });
  });

  it('lets a deeply nested but reasonable request through', async () => {
    const response = await post(
      '/v1/chat/completions',
      `{"model":"mock/echo","messages":[{"role":"user","content":"hi"}],"metadata":${nested(100)}}`,
    );
    expect(response.statusCode).toBe(200);
  });
});
