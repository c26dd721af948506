import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import { createKey, createTestApp, signUp, type TestContext } from './test-app.js';

/**
 * Tenants are walled: everything org A can present (a session, an admin key) is refused every org-B
 * resource the API has, and B's data is left as it was.
 */
let context: TestContext;
let app: App;

type Org = Awaited<ReturnType<typeof setUpOrg>>;
let orgA: Org;
let orgB: Org;

async function setUpOrg(name: string) {
  const owner = await signUp(app, { orgName: name });
  const adminKey = await createKey(owner.client, { name: `${name} admin`, scopes: ['admin', 'gateway'] });
  const otherKey = await createKey(owner.client, { name: `${name} app` });
  const invitation = (
    await owner.client.request('POST', '/api/invitations', { email: `new@${name}.example`, role: 'member' })
  ).json();
  const memberAccount = await signUp(app, { orgName: `${name} side org` });
  const memberInvite = (
    await owner.client.request('POST', '/api/invitations', { email: memberAccount.email, role: 'member' })
  ).json();
  const accepted = await memberAccount.client.request('POST', '/api/invitations/accept', { token: memberInvite.token });
  if (accepted.statusCode !== 200) throw new Error(`accept failed: ${accepted.body}`);
  const routeResponse = await owner.client.request('POST', '/api/routes', {
    alias: `${name}-chat`,
    targets: [{ model: 'mock/echo' }],
  });
  const route = routeResponse.json() as { id: string; alias: string };
  const providerResponse = await owner.client.request('POST', '/api/providers', {
    name: `${name}-llm`,
    kind: 'openai-compatible',
    baseUrl: 'http://127.0.0.1:9/v1',
    apiKey: `sk-${name}`,
  });
  const provider = providerResponse.json() as { id: string; name: string };
  const priceResponse = await owner.client.request('PUT', '/api/prices', {
    model: `${name}/house-model`,
    input: 1,
    output: 2,
  });
  const price = priceResponse.json() as { id: string; model: string };
  const alertResponse = await owner.client.request('POST', '/api/alerts', {
    name: `${name} errors`,
    // Nothing listens here: a test message sent by mistake would fail, never reach anyone.
    webhookUrl: 'http://127.0.0.1:9/hook',
    condition: { metric: 'error_rate', thresholdPercent: 5 },
  });
  const alert = alertResponse.json() as { id: string; name: string };
  // Both orgs use the same trace and observation ids: ids are the client's, so only the org tells them apart.
  const ingested = await ingest(otherKey.secret, [
    event('trace-create', {
      id: 'shared-trace',
      name: `${name} trace`,
      sessionId: `${name}-session`,
      userId: 'shared-user',
    }),
    event('observation-create', {
      id: 'shared-observation',
      traceId: 'shared-trace',
      type: 'generation',
      model: `${name}/house-model`,
      startTime: new Date().toISOString(),
      usage: { inputTokens: 1_000, outputTokens: 1_000 },
      output: `${name} output`,
    }),
    event('trace-create', {
      id: `${name}-only-trace`,
      name: `${name} private`,
      sessionId: `${name}-only-session`,
      userId: `${name}-only-user`,
    }),
  ]);
  if (ingested.statusCode !== 207) throw new Error(`ingest failed: ${ingested.body}`);
  return { ...owner, adminKey, otherKey, invitation, member: memberAccount, route, provider, price, alert };
}

const event = (type: string, body: Record<string, unknown>) => ({
  id: `${type}-${Math.random().toString(36).slice(2)}`,
  type,
  timestamp: new Date().toISOString(),
  body,
});

function ingest(secret: string, batch: unknown[]) {
  return app.inject({
    method: 'POST',
    url: '/v1/ingest',
    headers: { authorization: `Bearer ${secret}` },
    payload: { batch },
  });
}

beforeAll(async () => {
  context = await createTestApp();
  app = context.app;
  orgA = await setUpOrg('alpha');
  orgB = await setUpOrg('bravo');
});
afterAll(() => context?.close());

type Send = (
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  body?: unknown,
) => Promise<{ statusCode: number; body: string }>;

// Everything org A can present. Closures, so they read orgA when a test runs.
const CALLERS: Record<string, Send> = {
  'org A owner session': (method, url, body) => orgA.client.request(method, url, body),
  'org A admin key': (method, url, body) =>
    app.inject({
      method,
      url,
      payload: body as Record<string, unknown>,
      headers: { authorization: `Bearer ${orgA.adminKey.secret}` },
    }),
};

// Every route that addresses an org-B resource by id, and what it must answer A. Ids are read when
// the test runs, after beforeAll made the orgs.
type Attempt = {
  what: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: () => string;
  body?: unknown;
  status: number;
};
const ATTEMPTS: Attempt[] = [
  { what: 'read B’s key', method: 'GET', url: () => `/api/keys/${orgB.otherKey.id}`, status: 404 },
  { what: 'revoke B’s key', method: 'DELETE', url: () => `/api/keys/${orgB.otherKey.id}`, status: 404 },
  {
    what: 'change a B member’s role',
    method: 'PATCH',
    url: () => `/api/members/${orgB.member.userId}`,
    body: { role: 'admin' },
    status: 404,
  },
  { what: 'remove a B member', method: 'DELETE', url: () => `/api/members/${orgB.member.userId}`, status: 404 },
  {
    what: 'remove a B member and revoke their keys',
    method: 'DELETE',
    url: () => `/api/members/${orgB.member.userId}?revokeKeys=true`,
    status: 404,
  },
  { what: 'remove B’s owner', method: 'DELETE', url: () => `/api/members/${orgB.userId}`, status: 404 },
  {
    what: 'withdraw B’s invitation',
    method: 'DELETE',
    url: () => `/api/invitations/${orgB.invitation.id}`,
    status: 404,
  },
  { what: 'read B’s route', method: 'GET', url: () => `/api/routes/${orgB.route.id}`, status: 404 },
  {
    what: 'replace B’s route',
    method: 'PUT',
    url: () => `/api/routes/${orgB.route.id}`,
    body: { alias: 'hijacked', targets: [{ model: 'mock/stream' }] },
    status: 404,
  },
  { what: 'delete B’s route', method: 'DELETE', url: () => `/api/routes/${orgB.route.id}`, status: 404 },
  {
    what: 'replace B’s provider key',
    method: 'PUT',
    url: () => `/api/providers/${orgB.provider.id}`,
    body: { name: 'stolen', kind: 'openai', apiKey: 'sk-attacker' },
    status: 404,
  },
  { what: 'delete B’s provider', method: 'DELETE', url: () => `/api/providers/${orgB.provider.id}`, status: 404 },
  { what: 'delete B’s price', method: 'DELETE', url: () => `/api/prices/${orgB.price.id}`, status: 404 },
  { what: 'read B’s trace', method: 'GET', url: () => '/api/traces/bravo-only-trace', status: 404 },
  { what: 'read B’s session', method: 'GET', url: () => '/api/sessions/bravo-only-session', status: 404 },
  { what: 'read B’s end user', method: 'GET', url: () => '/api/users/bravo-only-user', status: 404 },
  { what: 'read B’s alert rule', method: 'GET', url: () => `/api/alerts/${orgB.alert.id}`, status: 404 },
  {
    what: 'change B’s alert rule',
    method: 'PATCH',
    url: () => `/api/alerts/${orgB.alert.id}`,
    body: { name: 'hijacked', enabled: false, webhookUrl: 'https://attacker.example/hook' },
    status: 404,
  },
  { what: 'delete B’s alert rule', method: 'DELETE', url: () => `/api/alerts/${orgB.alert.id}`, status: 404 },
  { what: 'test B’s alert rule', method: 'POST', url: () => `/api/alerts/${orgB.alert.id}/test`, status: 404 },
  {
    what: 'read B’s alert events',
    method: 'GET',
    url: () => `/api/alerts/${orgB.alert.id}/events`,
    status: 404,
  },
];

describe.each(Object.entries(CALLERS))('%s', (_callerName, send) => {
  const caller = { send };

  it.each(ATTEMPTS.map((attempt) => [attempt.what, attempt] as const))('cannot %s', async (_what, attempt) => {
    const response = await caller.send(attempt.method, attempt.url(), attempt.body);
    expect(response.statusCode).toBe(attempt.status);
  });

  it('lists only org A’s keys, key usage, members, invitations, routes, providers, prices, alerts and org', async () => {
    const keys = JSON.parse((await caller.send('GET', '/api/keys')).body).data.map((key: { id: string }) => key.id);
    expect(keys).toEqual(expect.arrayContaining([orgA.adminKey.id, orgA.otherKey.id]));
    expect(keys).not.toContain(orgB.adminKey.id);
    expect(keys).not.toContain(orgB.otherKey.id);
    const keysInUsage = JSON.parse((await caller.send('GET', '/api/usage')).body).keys.map(
      (key: { id: string }) => key.id,
    );
    expect(keysInUsage.sort()).toEqual([orgA.adminKey.id, orgA.otherKey.id].sort());
    const members = JSON.parse((await caller.send('GET', '/api/members')).body).data.map(
      (member: { userId: string }) => member.userId,
    );
    expect(members.sort()).toEqual([orgA.userId, orgA.member.userId].sort());
    const invitations = JSON.parse((await caller.send('GET', '/api/invitations')).body).data.map(
      (item: { id: string }) => item.id,
    );
    expect(invitations).not.toContain(orgB.invitation.id);
    const aliases = JSON.parse((await caller.send('GET', '/api/routes')).body).data.map(
      (item: { alias: string }) => item.alias,
    );
    expect(aliases).toEqual([orgA.route.alias]);
    const providers = JSON.parse((await caller.send('GET', '/api/providers')).body).data.map(
      (item: { name: string }) => item.name,
    );
    expect(providers).toEqual([orgA.provider.name]);
    const prices = JSON.parse((await caller.send('GET', '/api/prices')).body)
      .data.filter((item: { source: string }) => item.source === 'org')
      .map((item: { model: string }) => item.model);
    expect(prices).toEqual([orgA.price.model]);
    const alerts = JSON.parse((await caller.send('GET', '/api/alerts')).body).data.map(
      (item: { id: string }) => item.id,
    );
    expect(alerts).toEqual([orgA.alert.id]);
    expect(JSON.parse((await caller.send('GET', '/api/org')).body).id).toBe(orgA.orgId);
    const orgs = JSON.parse((await caller.send('GET', '/api/orgs')).body).data.map((org: { id: string }) => org.id);
    expect(orgs).not.toContain(orgB.orgId);
  });

  it('sees only org A’s end users and sessions, with A’s totals under ids B uses too', async () => {
    const users = JSON.parse((await caller.send('GET', '/api/users')).body).data;
    expect(users.map((user: { userId: string }) => user.userId).sort()).toEqual(['alpha-only-user', 'shared-user']);
    const shared = JSON.parse((await caller.send('GET', '/api/users/shared-user')).body);
    expect(shared).toMatchObject({ traceCount: 1, inputTokens: 1_000, sessionCount: 1 });
    const byCost = JSON.parse((await caller.send('GET', '/api/users?sort=-costUsd')).body).data;
    expect(byCost.map((user: { userId: string }) => user.userId)).not.toContain('bravo-only-user');
    const session = JSON.parse((await caller.send('GET', '/api/sessions/alpha-session')).body);
    expect(session.traces).toMatchObject([{ id: 'shared-trace', name: 'alpha trace', output: 'alpha output' }]);
    const bravoSessions = JSON.parse((await caller.send('GET', '/api/sessions?userId=bravo-only-user')).body).data;
    expect(bravoSessions).toEqual([]);
  });

  it('sees only org A’s traces, sessions and metrics, even under the same ids', async () => {
    const traces = JSON.parse((await caller.send('GET', '/api/traces')).body).data;
    expect(traces.map((trace: { name: string }) => trace.name).sort()).toEqual(['alpha private', 'alpha trace']);
    const shared = JSON.parse((await caller.send('GET', '/api/traces/shared-trace')).body);
    expect(shared.observations).toMatchObject([{ id: 'shared-observation', output: 'alpha output' }]);
    const sessions = JSON.parse((await caller.send('GET', '/api/sessions')).body).data;
    expect(sessions.map((session: { sessionId: string }) => session.sessionId).sort()).toEqual([
      'alpha-only-session',
      'alpha-session',
    ]);
    const metrics = JSON.parse((await caller.send('GET', '/api/metrics?groupBy=model')).body);
    expect(metrics.points.map((point: { group: string }) => point.group)).toEqual(['alpha/house-model']);
    // Minute buckets read the calls themselves, not the rollups: walled the same way.
    const around = (minutes: number) => encodeURIComponent(new Date(Date.now() + minutes * 60_000).toISOString());
    const minuteQuery = `groupBy=model&bucket=minute&from=${around(-60)}&to=${around(60)}`;
    const minutes = JSON.parse((await caller.send('GET', `/api/metrics?${minuteQuery}`)).body);
    expect(minutes.points.map((point: { group: string }) => point.group)).toEqual(['alpha/house-model']);
  });
});

describe('org B after all of A’s attempts', () => {
  it('still has its keys working, its members, its invitation and its alert rule', async () => {
    for (const send of Object.values(CALLERS))
      for (const attempt of ATTEMPTS) await send(attempt.method, attempt.url(), attempt.body);
    const models = await app.inject({
      url: '/v1/models',
      headers: { authorization: `Bearer ${orgB.otherKey.secret}` },
    });
    expect(models.statusCode).toBe(200);
    const members = (await orgB.client.request('GET', '/api/members')).json().data;
    expect(members).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ userId: orgB.member.userId, role: 'member' }),
        expect.objectContaining({ userId: orgB.userId, role: 'owner' }),
      ]),
    );
    const invitations = (await orgB.client.request('GET', '/api/invitations')).json().data;
    expect(invitations.map((item: { id: string }) => item.id)).toContain(orgB.invitation.id);
    const route = (await orgB.client.request('GET', `/api/routes/${orgB.route.id}`)).json();
    expect(route).toMatchObject({ alias: orgB.route.alias, targets: [{ model: 'mock/echo' }] });
    const providers = (await orgB.client.request('GET', '/api/providers')).json().data;
    expect(providers).toEqual([expect.objectContaining({ name: orgB.provider.name, keyHint: '…ravo' })]);
    const prices = (await orgB.client.request('GET', '/api/prices')).json().data;
    expect(prices).toContainEqual(expect.objectContaining({ id: orgB.price.id, model: 'bravo/house-model', input: 1 }));
    const alert = (await orgB.client.request('GET', `/api/alerts/${orgB.alert.id}`)).json();
    expect(alert).toMatchObject({ name: 'bravo errors', enabled: true, webhookUrl: 'http://127.0.0.1:9/hook' });
    const alertEvents = (await orgB.client.request('GET', `/api/alerts/${orgB.alert.id}/events`)).json().data;
    expect(alertEvents).toEqual([]);
  });

  it('keeps its telemetry when org A sends events under the same ids', async () => {
    const hijack = await ingest(orgA.otherKey.secret, [
      event('observation-update', { id: 'shared-observation', output: 'hijacked', usage: { inputTokens: 1 } }),
      event('trace-create', { id: 'shared-trace', name: 'hijacked' }),
    ]);
    expect(hijack.statusCode).toBe(207);
    const trace = (await orgB.client.request('GET', '/api/traces/shared-trace')).json();
    expect(trace).toMatchObject({ name: 'bravo trace', inputTokens: 1_000 });
    expect(trace.observations).toMatchObject([{ output: 'bravo output', costUsd: (1_000 * 1 + 1_000 * 2) / 1e6 }]);
  });

  it('cannot be entered by switching the session to it', async () => {
    const response = await orgA.client.request('POST', '/api/auth/switch-org', { orgId: orgB.orgId });
    expect(response.statusCode).toBe(404);
  });

  it('cannot be joined with an invitation addressed to someone else', async () => {
    const response = await orgA.client.request('POST', '/api/invitations/accept', { token: orgB.invitation.token });
    expect(response.statusCode).toBe(400);
    const members = (await orgB.client.request('GET', '/api/members')).json().data;
    expect(members.map((member: { userId: string }) => member.userId)).not.toContain(orgA.userId);
  });

  it('is changed by org B’s own key (the refusals above are not a broken route)', async () => {
    const response = await app.inject({
      method: 'DELETE',
      url: `/api/invitations/${orgB.invitation.id}`,
      headers: { authorization: `Bearer ${orgB.adminKey.secret}` },
    });
    expect(response.statusCode).toBe(204);
  });
});

describe('roles inside one org', () => {
  it('lets a viewer read but not create keys or manage members', async () => {
    const viewer = await signUp(app);
    const invite = (
      await orgA.client.request('POST', '/api/invitations', { email: viewer.email, role: 'viewer' })
    ).json();
    await viewer.client.request('POST', '/api/invitations/accept', { token: invite.token });
    expect((await viewer.client.request('GET', '/api/keys')).statusCode).toBe(200);
    expect((await viewer.client.request('POST', '/api/keys', { name: 'nope' })).statusCode).toBe(403);
    expect(
      (await viewer.client.request('PATCH', `/api/members/${orgA.member.userId}`, { role: 'viewer' })).statusCode,
    ).toBe(403);
    expect((await viewer.client.request('GET', '/api/invitations')).statusCode).toBe(403);
  });

  it('never leaves an org without an owner', async () => {
    const response = await orgA.client.request('PATCH', `/api/members/${orgA.userId}`, { role: 'admin' });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('last_owner');
  });
});
