import { apiKeySchema, createdApiKeySchema, openAiErrorSchema } from '@switchyard/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, signUp, type TestContext } from '../../../test/test-app.js';
import { sha256Hex } from '../../crypto/secrets.js';
import { apiKeys } from '../../db/schema.js';

let context: TestContext;
beforeAll(async () => {
  context = await createTestApp();
});
afterAll(() => context?.close());

const models = (secret: string, header: 'bearer' | 'x-api-key' = 'bearer') =>
  context.app.inject({
    url: '/v1/models',
    headers: header === 'bearer' ? { authorization: `Bearer ${secret}` } : { 'x-api-key': secret },
  });

async function waitFor(condition: () => Promise<boolean>, withinMs: number): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return condition();
}

describe('API keys', () => {
  it('shows the secret once and stores only its sha256', async () => {
    const { client } = await signUp(context.app);
    const created = await client.request('POST', '/api/keys', { name: 'backend', scopes: ['gateway'] });
    expect(created.statusCode).toBe(201);
    const key = createdApiKeySchema.parse(created.json());
    expect(key.secret).toMatch(/^sy-[0-9A-Za-z]{8}-[0-9A-Za-z]{43}$/);
    expect(key.secret.startsWith(key.prefix)).toBe(true);

    const [row] = await context.backends.database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(row?.secretHash).toBe(sha256Hex(key.secret));
    expect(JSON.stringify(row)).not.toContain(key.secret.slice(12));

    const listed = (await client.request('GET', '/api/keys')).json();
    expect(listed.data[0]).toEqual(apiKeySchema.parse(listed.data[0]));
    expect(JSON.stringify(listed)).not.toContain(key.secret);
    const one = await client.request('GET', `/api/keys/${key.id}`);
    expect(one.json()).not.toHaveProperty('secret');
  });

  it('authenticates /v1 by Authorization: Bearer and by x-api-key', async () => {
    const { client } = await signUp(context.app);
    const { secret } = await createKey(client);
    for (const header of ['bearer', 'x-api-key'] as const) {
      const response = await models(secret, header);
      expect(response.statusCode).toBe(200);
      expect(response.json().data.map((model: { id: string }) => model.id)).toContain('mock/echo');
    }
  });

  it('answers a missing or unknown key with 401 in OpenAI’s error shape', async () => {
    const missing = await context.app.inject('/v1/models');
    expect(missing.statusCode).toBe(401);
    expect(openAiErrorSchema.parse(missing.json()).error.code).toBe('missing_api_key');
    const unknown = await models('sy-AAAAAAAA-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(unknown.statusCode).toBe(401);
    expect(openAiErrorSchema.parse(unknown.json()).error).toMatchObject({
      type: 'authentication_error',
      code: 'invalid_api_key',
    });
  });

  it('enforces scopes: gateway for /v1, admin for /api', async () => {
    const { client } = await signUp(context.app);
    const ingestOnly = await createKey(client, { scopes: ['ingest'] });
    expect((await models(ingestOnly.secret)).statusCode).toBe(403);
    const gatewayOnly = await createKey(client, { scopes: ['gateway'] });
    const asAdmin = await context.app.inject({
      url: '/api/keys',
      headers: { authorization: `Bearer ${gatewayOnly.secret}` },
    });
    expect(asAdmin.statusCode).toBe(403);
    const admin = await createKey(client, { scopes: ['admin'] });
    const listed = await context.app.inject({ url: '/api/keys', headers: { authorization: `Bearer ${admin.secret}` } });
    expect(listed.statusCode).toBe(200);
    expect(listed.json().data).toHaveLength(3);
  });

  it('refuses a key after its expiry time', async () => {
    const { client } = await signUp(context.app);
    const expiresAt = new Date(context.clock.now() + 60_000).toISOString();
    const { secret } = await createKey(client, { expiresAt });
    expect((await models(secret)).statusCode).toBe(200);
    context.clock.advance(61_000);
    expect((await models(secret)).statusCode).toBe(401);
  });

  it('paginates the key list with a cursor, newest first', async () => {
    const { client } = await signUp(context.app);
    const names = ['k1', 'k2', 'k3', 'k4', 'k5'];
    for (const name of names) {
      await createKey(client, { name });
      context.clock.advance(1);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = (await client.request('GET', `/api/keys${query}`)).json();
      seen.push(...page.data.map((key: { name: string }) => key.name));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...names].reverse());
    const bad = await client.request('GET', '/api/keys?cursor=garbage');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^cursor:/);
  });

  it('keeps last_used_at without writing on every request', async () => {
    const { client } = await signUp(context.app);
    const key = await createKey(client);
    await models(key.secret);
    await models(key.secret);
    const before = await client.request('GET', `/api/keys/${key.id}`);
    expect(before.json().lastUsedAt).toBeNull();
    await context.app.services.lastUsed.flush();
    const after = await client.request('GET', `/api/keys/${key.id}`);
    expect(after.json().lastUsedAt).toBe(new Date(context.clock.now()).toISOString());
  });

  it('serves a known key from memory, with no database query after the first', async () => {
    const { client } = await signUp(context.app);
    const key = await createKey(client);
    expect((await models(key.secret)).statusCode).toBe(200);
    // Remove the row behind the server's back: only the in-memory cache can still know the key.
    await context.backends.database.db.delete(apiKeys).where(eq(apiKeys.id, key.id));
    expect((await models(key.secret)).statusCode).toBe(200);
    const fresh = await context.replica();
    expect(
      (await fresh.inject({ url: '/v1/models', headers: { authorization: `Bearer ${key.secret}` } })).statusCode,
    ).toBe(401);
  });

  it('revokes a key on every replica within a second', async () => {
    const { client } = await signUp(context.app);
    const key = await createKey(client);
    const otherReplica = await context.replica();
    const viaOther = () =>
      otherReplica.inject({ url: '/v1/models', headers: { authorization: `Bearer ${key.secret}` } });
    expect((await viaOther()).statusCode).toBe(200);

    const revoked = await client.request('DELETE', `/api/keys/${key.id}`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json().revokedAt).not.toBeNull();
    expect((await models(key.secret)).statusCode).toBe(401);
    expect(await waitFor(async () => (await viaOther()).statusCode === 401, 1_000)).toBe(true);
  });
});
