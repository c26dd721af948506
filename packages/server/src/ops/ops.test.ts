import { apiErrorSchema, openAiErrorSchema } from '@switchyard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_SECRET_KEY, type TestContext } from '../../test/test-app.js';
import { type AppDependencies, buildApp } from '../app.js';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/client.js';
import { createRedisKv } from '../kv/redis.js';

let context: TestContext;
beforeAll(async () => {
  context = await createTestApp({ env: { CORS_ORIGINS: 'https://dash.example', BODY_LIMIT_BYTES: '2048' } });
});
afterAll(() => context?.close());

describe('operations endpoints', () => {
  it('answers /health without touching dependencies', async () => {
    const response = await context.app.inject('/health');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('reports each dependency on /ready', async () => {
    const response = await context.app.inject('/ready');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.status).toBe('ok');
    expect(body.checks.database).toMatchObject({ status: 'ok', kind: context.backends.database.kind });
    expect(body.checks.kv).toMatchObject({ status: 'ok', kind: context.backends.kv.kind });
  });

  /** /ready of an app whose database or kv is swapped for a broken one. */
  async function readinessWith(broken: Partial<Pick<AppDependencies, 'database' | 'kv'>>) {
    const app = await buildApp({
      config: { ...loadConfig({ LOG_LEVEL: 'silent' }), secretKey: TEST_SECRET_KEY },
      database: context.backends.database,
      kv: context.backends.kv,
      clock: context.clock,
      ...broken,
    });
    try {
      const response = await app.inject('/ready');
      return { status: response.statusCode, body: response.json() };
    } finally {
      await app.close();
    }
  }

  it('answers 503 naming the kv when Redis is unreachable', async () => {
    // A real Redis client pointed at a port where nothing listens.
    const deadKv = createRedisKv({ url: 'redis://127.0.0.1:1', prefix: 'dead:' });
    try {
      const { status, body } = await readinessWith({ kv: deadKv });
      expect(status).toBe(503);
      expect(body.checks.database.status).toBe('ok');
      expect(body.checks.kv).toMatchObject({ status: 'error', kind: 'redis' });
      expect(body.checks.kv.error).toEqual(expect.any(String));
    } finally {
      await deadKv.close();
    }
  });

  it('answers 503 naming the database when Postgres is unreachable', async () => {
    // A database that has gone away: a handle whose connections are closed.
    const gone = await openDatabase({ url: context.backends.databaseUrl });
    await gone.close();
    const { status, body } = await readinessWith({ database: gone });
    expect(status).toBe(503);
    expect(body.checks.kv.status).toBe('ok');
    expect(body.checks.database).toMatchObject({ status: 'error', kind: context.backends.database.kind });
  });

  it('serves Prometheus metrics with request durations by route pattern', async () => {
    await context.app.inject('/health');
    await context.app.inject('/api/keys/00000000-0000-0000-0000-000000000000');
    const response = await context.app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/health",status_code="200"\} [1-9]/,
    );
    expect(response.body).toContain('route="/api/keys/:id",status_code="401"');
    expect(response.body).toContain('process_cpu_user_seconds_total');
  });

  it('is open without METRICS_TOKEN, and counts methods the app does not route as other', async () => {
    for (const method of ['PROPFIND', 'MKCOL', 'PURGE'] as const) await context.app.inject({ method, url: '/health' });
    const response = await context.app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.body).toMatch(
      /http_request_duration_seconds_count\{method="other",route="unmatched",status_code="404"\} 3/,
    );
    expect(response.body).not.toMatch(/PROPFIND|MKCOL|PURGE/);
  });

  it('documents every route in the OpenAPI spec behind /docs', async () => {
    const spec = (await context.app.inject('/docs/json')).json();
    const documented = Object.keys(spec.paths);
    for (const path of [
      '/v1/models',
      '/v1/messages',
      '/v1/messages/count_tokens',
      '/api/auth/signup',
      '/api/auth/login',
      '/api/me',
      '/api/keys',
      '/api/keys/{id}',
      '/api/members',
      '/api/invitations',
      '/api/orgs',
      '/health',
      '/ready',
    ]) {
      expect(documented).toContain(path);
    }
    expect(spec.paths['/api/keys'].post.requestBody.content['application/json'].schema.properties).toHaveProperty(
      'scopes',
    );
    const ui = await context.app.inject('/docs');
    expect([200, 302]).toContain(ui.statusCode);
  });

  it('puts a request id on every response, keeping a well-formed one from the client', async () => {
    const generated = await context.app.inject('/health');
    expect(generated.headers['x-switchyard-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const given = await context.app.inject({ url: '/health', headers: { 'x-switchyard-request-id': 'trace-abc.123' } });
    expect(given.headers['x-switchyard-request-id']).toBe('trace-abc.123');
    const hostile = await context.app.inject({ url: '/health', headers: { 'x-switchyard-request-id': 'a b\nc' } });
    expect(hostile.headers['x-switchyard-request-id']).not.toContain(' ');
  });

  it('sends security headers and CORS only for configured origins', async () => {
    const response = await context.app.inject({ url: '/health', headers: { origin: 'https://dash.example' } });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    // Plain-http installs must not have their own assets upgraded to https.
    expect(response.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(response.headers['access-control-allow-origin']).toBe('https://dash.example');
    expect(response.headers['access-control-allow-credentials']).toBe('true');
    const stranger = await context.app.inject({ url: '/health', headers: { origin: 'https://evil.example' } });
    expect(stranger.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a body over the limit with 413 in the route family’s error shape', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: 'a@example.com', password: 'x'.repeat(4096) },
    });
    expect(response.statusCode).toBe(413);
    expect(apiErrorSchema.parse(response.json()).error.message).toMatch(/larger than the \d+ (bytes|kB|MB) limit/);
  });

  it('answers malformed JSON with 400, not 500', async () => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(response.statusCode).toBe(400);
    expect(apiErrorSchema.parse(response.json()).error.message).toMatch(/JSON/i);
  });

  it('answers unknown routes with 404 in the right shape', async () => {
    const api = await context.app.inject('/api/nothing-here');
    expect(api.statusCode).toBe(404);
    expect(apiErrorSchema.parse(api.json()).error.code).toBe('not_found');
    const gateway = await context.app.inject({ method: 'POST', url: '/v1/nothing-here' });
    expect(gateway.statusCode).toBe(404);
    expect(openAiErrorSchema.parse(gateway.json()).error.type).toBe('not_found_error');
  });
});
