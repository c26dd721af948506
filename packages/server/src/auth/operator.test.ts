import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, type SessionClient, signUp, type TestContext } from '../../test/test-app.js';

/**
 * The operator sits above the orgs: plans, limits above them and suspensions are theirs, and no
 * org owner can lift their own limits.
 */
let context: TestContext;
let operator: SessionClient;

beforeAll(async () => {
  context = await createTestApp();
  // The installation's first user is its operator, as the first start's login is.
  operator = (await signUp(context.app, { orgName: 'Server room' })).client;
});
afterAll(() => context?.close());

function withKey(secret: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  return context.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${secret}` },
    payload: payload as Record<string, unknown>,
  });
}

const chat = (secret: string, app = context.app) =>
  app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${secret}` },
    payload: { model: 'mock/echo', messages: [{ role: 'user', content: 'hi' }] },
  });

async function strangerOrg(name: string) {
  const owner = await signUp(context.app, { orgName: name });
  const key = await createKey(owner.client, { scopes: ['gateway', 'ingest', 'admin'] });
  return { ...owner, key };
}

describe('the first user', () => {
  it('is the operator; later users are not', async () => {
    expect((await operator.request('GET', '/api/me')).json().user.isOperator).toBe(true);
    const later = await signUp(context.app);
    expect((await later.client.request('GET', '/api/me')).json().user.isOperator).toBe(false);
  });
});

describe('an org owner', () => {
  it('cannot change their plan', async () => {
    const org = await strangerOrg('Upgrade myself');
    const response = await org.client.request('PATCH', '/api/org', { plan: 'enterprise' });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({ code: 'operator_only' });
    expect((await org.client.request('GET', '/api/org')).json().plan).toBe('free');
    // Sending the plan it already has, as a form does, is no change.
    expect((await org.client.request('PATCH', '/api/org', { plan: 'free', name: 'Renamed' })).statusCode).toBe(200);
  });

  it('cannot raise a limit above the plan, naming the limit and who can', async () => {
    const org = await strangerOrg('Raise myself');
    const response = await org.client.request('PATCH', '/api/org', { limits: { requestsPerMinute: 100_000 } });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toBe(
      "limits.requestsPerMinute: at most 60 on this org's plan (free); only the server's operator can raise it",
    );
    const unlimited = await org.client.request('PATCH', '/api/org', { limits: { monthlySpendCapUsd: null } });
    expect(unlimited.statusCode).toBe(200);
    expect(unlimited.json().limits.monthlySpendCapUsd).toBe(10);
  });

  it('lowers their own limits, which the gateway applies at once, and can take them back', async () => {
    const org = await strangerOrg('Lower myself');
    const lowered = await org.client.request('PATCH', '/api/org', { limits: { requestsPerMinute: 2 } });
    expect(lowered.statusCode).toBe(200);
    expect(lowered.json()).toMatchObject({
      limits: { requestsPerMinute: 2 },
      planLimits: { requestsPerMinute: 60 },
      selfLimits: { requestsPerMinute: 2 },
    });
    const statuses = [];
    for (let call = 0; call < 3; call++) statuses.push((await chat(org.key.secret)).statusCode);
    expect(statuses).toEqual([200, 200, 429]);
    const restored = await org.client.request('PATCH', '/api/org', { limits: { requestsPerMinute: null } });
    expect(restored.json()).toMatchObject({ limits: { requestsPerMinute: 60 }, selfLimits: {} });
  });
});

describe('the operator', () => {
  it('lists every org with its plan, members and usage this month, by search and page', async () => {
    const org = await strangerOrg('Listed Widgets');
    expect((await chat(org.key.secret)).statusCode).toBe(200);
    await context.app.services.batchWriter.flush();
    const found = await operator.request('GET', '/api/operator/orgs?search=listed%20widg');
    expect(found.statusCode).toBe(200);
    expect(found.json().data).toEqual([
      expect.objectContaining({
        id: org.orgId,
        plan: 'free',
        members: 1,
        suspended: null,
        usageThisMonth: expect.objectContaining({ requests: 1, errors: 0, gatewaySpendUsd: 0 }),
      }),
    ]);
    const first = (await operator.request('GET', '/api/operator/orgs?limit=1')).json();
    expect(first.data).toHaveLength(1);
    const second = (await operator.request('GET', `/api/operator/orgs?limit=1&cursor=${first.nextCursor}`)).json();
    expect(second.data[0].id).not.toBe(first.data[0].id);
  });

  it('changes a plan and its overrides, which keys already in use follow on every replica', async () => {
    const replica = await context.replica();
    const org = await strangerOrg('Promoted');
    expect((await chat(org.key.secret, replica)).headers['x-ratelimit-limit-requests']).toBe('60');
    const changed = await operator.request('PATCH', `/api/operator/orgs/${org.orgId}`, {
      plan: 'pro',
      limitOverrides: { requestsPerMinute: 5_000, monthlySpendCapUsd: null },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({
      plan: 'pro',
      limits: { requestsPerMinute: 5_000, monthlySpendCapUsd: null, tokensPerMinute: 2_000_000 },
    });
    expect(changed.json().limitOverrides).toEqual({ requestsPerMinute: 5_000, monthlySpendCapUsd: null });
    await expect
      .poll(async () => (await chat(org.key.secret, replica)).headers['x-ratelimit-limit-requests'])
      .toBe('5000');
    // The owner now sees the new ceiling and may lower beneath it.
    const own = await org.client.request('PATCH', '/api/org', { limits: { requestsPerMinute: 4_000 } });
    expect(own.json().limits.requestsPerMinute).toBe(4_000);
  });

  it('suspends an org: its keys are refused everywhere with the reason, its members can read, not write', async () => {
    const org = await strangerOrg('Abuser');
    const suspended = await operator.request('PATCH', `/api/operator/orgs/${org.orgId}`, {
      suspended: true,
      suspendedReason: 'unpaid invoice',
    });
    expect(suspended.statusCode).toBe(200);
    expect(suspended.json().suspended).toMatchObject({ reason: 'unpaid invoice' });

    for (const response of [
      await chat(org.key.secret),
      await withKey(org.key.secret, 'POST', '/v1/ingest', { batch: [] }),
      await withKey(org.key.secret, 'GET', '/api/keys'),
    ]) {
      expect(response.statusCode).toBe(403);
      expect(response.body).toContain("This org is suspended by the server's operator: unpaid invoice");
    }
    expect((await org.client.request('GET', '/api/org')).json().suspended).toMatchObject({ reason: 'unpaid invoice' });
    const write = await org.client.request('POST', '/api/keys', { name: 'another' });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.code).toBe('org_suspended');

    await operator.request('PATCH', `/api/operator/orgs/${org.orgId}`, { suspended: false });
    expect((await chat(org.key.secret)).statusCode).toBe(200);
    expect((await org.client.request('GET', '/api/org')).json().suspended).toBeNull();
  });

  it('is the only one who can: an org owner and an admin key are refused', async () => {
    const org = await strangerOrg('Nosy');
    const bySession = await org.client.request('GET', '/api/operator/orgs');
    expect(bySession.statusCode).toBe(403);
    expect(bySession.json().error.code).toBe('operator_only');
    const byKey = await withKey(org.key.secret, 'GET', '/api/operator/orgs');
    expect(byKey.statusCode).toBe(403);
    const patch = await org.client.request('PATCH', `/api/operator/orgs/${org.orgId}`, { plan: 'enterprise' });
    expect(patch.statusCode).toBe(403);
    expect((await org.client.request('GET', '/api/org')).json().plan).toBe('free');
  });

  it('names what is wrong with a change', async () => {
    const org = await strangerOrg('Typos');
    const badPlan = await operator.request('PATCH', `/api/operator/orgs/${org.orgId}`, { plan: 'platinum' });
    expect(badPlan.statusCode).toBe(400);
    expect(badPlan.json().error.message).toContain('body.plan');
    const reasonAlone = await operator.request('PATCH', `/api/operator/orgs/${org.orgId}`, { suspendedReason: 'x' });
    expect(reasonAlone.statusCode).toBe(400);
    expect(reasonAlone.json().error.message).toBe('suspendedReason: goes with suspended: true');
    const missing = await operator.request('PATCH', '/api/operator/orgs/00000000-0000-4000-8000-000000000000', {});
    expect(missing.statusCode).toBe(404);
  });
});
