import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, signUp, type TestContext } from '../../test/test-app.js';

/**
 * The caller is known before the body is read: whoever may not call a route gets 401 or 403 whatever
 * they send, and a request that arrives too slowly is cut off.
 */
let context: TestContext;
let origin: string;
let secret: string;

beforeAll(async () => {
  context = await createTestApp({ env: { REQUEST_TIMEOUT_MS: '1000' } });
  origin = await context.app.listen({ port: 0, host: '127.0.0.1' });
  const owner = await signUp(context.app);
  secret = (await createKey(owner.client, { scopes: ['gateway'] })).secret;
});
afterAll(() => context?.close());

/** JSON nested `depth` levels deep: what took the event loop for a second per request to parse. */
const deeplyNested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

const BODIES: Array<[string, string, string]> = [
  ['a body that is not JSON', 'text/plain', 'hello'],
  ['broken JSON', 'application/json', '{"model": '],
  ['a body the schema refuses', 'application/json', JSON.stringify({ model: 42, messages: 'none' })],
  ['JSON nested 200,000 levels', 'application/json', deeplyNested(200_000)],
];

describe('without credentials', () => {
  it.each(BODIES)('/v1 answers 401 to %s, without validation details', async (_what, contentType, body) => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toMatchObject({ code: 'missing_api_key', param: null });
    expect(response.body).not.toMatch(/messages|model:|details/);
    // The body is never read, so the connection ends rather than receive the rest of it.
    expect(response.headers.connection).toBe('close');
  });

  it.each(BODIES)('/api answers 401 to %s', async (_what, contentType, body) => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: { 'content-type': contentType },
      payload: body,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toEqual({ code: 'not_authenticated', message: 'Not signed in' });
  });

  it('/v1 answers 401 to a revoked-looking key before its body, too', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sy-nope-notakey' },
      payload: deeplyNested(200_000),
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error.code).toBe('invalid_api_key');
  });
});

describe('with a key', () => {
  it('the body is then read and checked, naming the field', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${secret}` },
      payload: { model: 42, messages: [] },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('body.model');
  });
});

/** Opens a socket, sends `first`, then nothing more; resolves with what the server wrote before closing. */
function stall(first: string): Promise<string> {
  const url = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(url.port), url.hostname);
    let received = '';
    socket.on('connect', () => socket.write(first));
    socket.on('data', (chunk) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

describe('a request that arrives too slowly', () => {
  it('gets 408 and its socket closed when its body stops coming', async () => {
    const answer = await stall(
      `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nauthorization: Bearer ${secret}\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"model":`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('has its socket closed when its headers stop coming', async () => {
    const answer = await stall('GET /health HTTP/1.1\r\nhost: x\r\nx-slow: ');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('leaves a prompt request alone', async () => {
    const response = await fetch(`${origin}/health`);
    expect(response.status).toBe(200);
  });
});
