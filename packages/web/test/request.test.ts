import { meResponseSchema, orgSchema, readinessSchema } from '@switchyard/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, request, setCsrfToken } from '../src/api/client.js';

const org = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Acme',
  slug: 'acme',
  plan: 'free',
  limits: {
    requestsPerMinute: 60,
    tokensPerMinute: 100_000,
    monthlySpendCapUsd: 10,
    maxConcurrentRequests: 10,
    ingestEventsPerMinute: 1_000,
  },
  planLimits: {
    requestsPerMinute: 60,
    tokensPerMinute: 100_000,
    monthlySpendCapUsd: 10,
    maxConcurrentRequests: 10,
    ingestEventsPerMinute: 1_000,
  },
  selfLimits: {},
  logPayloads: false,
  suspended: null,
  createdAt: '2025-01-01T00:00:00.000Z',
};

function answer(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });
}

function stubFetch(response: Response | Error) {
  const fetch = vi.fn(async (_path: string, _init: RequestInit) => {
    if (response instanceof Error) throw response;
    return response;
  });
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

afterEach(() => vi.unstubAllGlobals());

describe('request', () => {
  it('resolves with the answer as its schema parses it', async () => {
    stubFetch(answer(200, { ...org, somethingNew: true }));
    const parsed = await request('/api/org', { schema: orgSchema });
    expect(parsed.name).toBe('Acme');
    expect(parsed).not.toHaveProperty('somethingNew');
  });

  it('refuses an answer of another shape instead of handing it on', async () => {
    stubFetch(answer(200, { ...org, plan: 42 }));
    const error = await failure(request('/api/org', { schema: orgSchema }));
    expect(error.code).toBe('invalid_response');
  });

  it("turns the server's error body into an ApiError with its status, code and message", async () => {
    stubFetch(answer(403, { error: { code: 'forbidden', message: 'Admins only' } }));
    const error = await failure(request('/api/org', { schema: orgSchema }));
    expect([error.status, error.code, error.message]).toEqual([403, 'forbidden', 'Admins only']);
  });

  it("reads the gateway's OpenAI-shaped errors too, the type standing in for a missing code", async () => {
    stubFetch(answer(429, { error: { message: 'Slow down', type: 'rate_limit_error', code: null, param: null } }));
    const error = await failure(request('/v1/models'));
    expect([error.status, error.code, error.message]).toEqual([429, 'rate_limit_error', 'Slow down']);
  });

  it('says the server could not be reached when the connection fails', async () => {
    stubFetch(new TypeError('Failed to fetch'));
    const error = await failure(request('/api/me', { schema: meResponseSchema }));
    expect([error.status, error.code]).toEqual([0, 'network_error']);
  });

  it('reads the body of a status it is told to accept', async () => {
    const check = { status: 'error', kind: 'postgres', latencyMs: 2_000, error: 'no answer' } as const;
    const ready = { status: 'error', checks: { database: check, kv: { ...check, status: 'ok', kind: 'memory' } } };
    stubFetch(answer(503, ready));
    const parsed = await request('/ready', { schema: readinessSchema, acceptStatuses: [503] });
    expect(parsed.checks.database.status).toBe('error');
  });

  it('sends the CSRF token and the JSON body on a mutation, and resolves with nothing without a schema', async () => {
    setCsrfToken('token-1');
    const fetch = stubFetch(answer(204, undefined));
    await expect(request('/api/keys/1', { method: 'DELETE', body: { reason: 'leaked' } })).resolves.toBeUndefined();
    const [path, init] = fetch.mock.calls[0] ?? [];
    expect(path).toBe('/api/keys/1');
    expect(init?.headers).toMatchObject({ 'x-csrf-token': 'token-1', 'content-type': 'application/json' });
    expect(init?.body).toBe('{"reason":"leaked"}');
  });
});
