import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, SessionClient, TEST_SECRET_KEY, type TestContext } from './test-app.js';

const PROVIDER_KEY = 'sk-provider-secret-value-that-must-never-be-logged';
let context: TestContext;

beforeAll(async () => {
  // trace: the most the server ever logs.
  context = await createTestApp({ env: { LOG_LEVEL: 'trace', OPENAI_API_KEY: PROVIDER_KEY } });
});
afterAll(() => context?.close());

describe('logs', () => {
  it('never contain a password, API key, cookie, CSRF token or provider key, whatever the request', async () => {
    const password = 'pa55word-that-must-not-leak';
    const client = new SessionClient(context.app);
    const signup = await client.request('POST', '/api/auth/signup', {
      email: 'logs@example.com',
      password,
      orgName: 'Logs',
    });
    expect(signup.statusCode).toBe(201);
    await new SessionClient(context.app).request('POST', '/api/auth/login', { email: 'logs@example.com', password });
    await new SessionClient(context.app).request('POST', '/api/auth/login', {
      email: 'logs@example.com',
      password: `${password}-wrong`,
    });
    const key = await createKey(client, { scopes: ['gateway', 'admin'] });
    await context.app.inject({ url: '/v1/models', headers: { authorization: `Bearer ${key.secret}` } });
    await context.app.inject({ url: '/v1/models', headers: { 'x-api-key': key.secret } });
    await context.app.inject({ url: '/api/keys', headers: { authorization: `Bearer ${key.secret}` } });
    await context.app.inject({ url: '/v1/models', headers: { authorization: `Bearer ${key.secret}x` } });
    await context.app.inject({
      method: 'POST',
      url: '/api/keys',
      payload: '{"name": ',
      headers: { 'content-type': 'application/json', cookie: `sy_session=${client.cookies.get('sy_session')}` },
    });
    const invite = (await client.request('POST', '/api/invitations', { email: 'invitee@example.com' })).json();
    const orgProviderKey = 'sk-org-provider-key-that-must-not-leak';
    await client.request('POST', '/api/providers', { name: 'own', kind: 'openai', apiKey: orgProviderKey });
    await client.request('POST', '/api/auth/logout');

    const secrets = {
      password,
      'API key': key.secret,
      'session cookie': String(signup.cookies.find((cookie) => cookie.name === 'sy_session')?.value),
      'CSRF token': signup.json().csrfToken,
      'provider key': PROVIDER_KEY,
      'server secret key': TEST_SECRET_KEY,
      'invitation token': invite.token,
      'org provider key': orgProviderKey,
    };
    expect(context.logs.lines.length).toBeGreaterThan(20);
    for (const [what, value] of Object.entries(secrets)) {
      expect(value.length, what).toBeGreaterThan(8);
      expect(context.logs.text.includes(value), `${what} appears in the logs`).toBe(false);
    }
  });

  it('carries the request id on every line written while serving a request', async () => {
    const response = await context.app.inject({ url: '/health', headers: { 'x-switchyard-request-id': 'req-logs-1' } });
    expect(response.headers['x-switchyard-request-id']).toBe('req-logs-1');
    const lines = context.logs.lines.map((line) => JSON.parse(line)).filter((line) => line.requestId === 'req-logs-1');
    expect(lines.map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
    const requestLines = context.logs.lines
      .map((line) => JSON.parse(line))
      .filter((line) => 'req' in line || 'res' in line);
    expect(requestLines.every((line) => typeof line.requestId === 'string')).toBe(true);
  });
});
