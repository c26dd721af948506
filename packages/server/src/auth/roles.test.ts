import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, signUp, type TestContext } from '../../test/test-app.js';
import { apiKeys } from '../db/schema.js';

/** Roles hold: nobody gets more than their role through a key, and nobody raises their own role. */
let context: TestContext;
let owner: Awaited<ReturnType<typeof signUp>>;

beforeAll(async () => {
  context = await createTestApp();
  owner = await signUp(context.app, { orgName: 'Roles' });
});
afterAll(() => context?.close());

async function joinAs(role: 'admin' | 'member' | 'viewer') {
  const account = await signUp(context.app, { orgName: `${role}'s own` });
  const invitation = await owner.client.request('POST', '/api/invitations', { email: account.email, role });
  await account.client.request('POST', '/api/invitations/accept', { token: invitation.json().token });
  return account;
}

function withKey(secret: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  return context.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${secret}` },
    payload: payload as Record<string, unknown>,
  });
}

const chat = (secret: string) =>
  withKey(secret, 'POST', '/v1/chat/completions', { model: 'mock/echo', messages: [{ role: 'user', content: 'hi' }] });

describe('a member', () => {
  it('cannot give a key the admin scope, and so cannot make themselves admin with one', async () => {
    const member = await joinAs('member');
    const refused = await member.client.request('POST', '/api/keys', { name: 'escalate', scopes: ['admin'] });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toBe('scopes: a member can give a key only gateway, ingest, not admin');
    const allowed = await createKey(member.client, { scopes: ['gateway', 'ingest'] });
    expect((await chat(allowed.secret)).statusCode).toBe(200);
    expect(
      (await withKey(allowed.secret, 'PATCH', `/api/members/${member.userId}`, { role: 'admin' })).statusCode,
    ).toBe(403);
    const members = (await owner.client.request('GET', '/api/members')).json().data;
    expect(members).toContainEqual(expect.objectContaining({ userId: member.userId, role: 'member' }));
  });

  it('holding an admin key made before the cap, still cannot act as admin with it', async () => {
    const member = await joinAs('member');
    const key = await createKey(member.client, { scopes: ['gateway'] });
    // What an older server let a member make: a key with the admin scope.
    await context.backends.database.db
      .update(apiKeys)
      .set({ scopes: ['gateway', 'admin'] })
      .where(eq(apiKeys.id, key.id));
    const promote = await withKey(key.secret, 'PATCH', `/api/members/${member.userId}`, { role: 'admin' });
    expect(promote.statusCode).toBe(403);
    expect(promote.json().error.message).toBe(
      'This API key\'s "admin" scope no longer applies: whoever created it is now member of the org',
    );
    const providers = await withKey(key.secret, 'POST', '/api/providers', { name: 'x', kind: 'openai', apiKey: 'sk' });
    expect(providers.statusCode).toBe(403);
    expect((await chat(key.secret)).statusCode).toBe(200);
  });

  it('revokes their own keys, not anyone else’s', async () => {
    const member = await joinAs('member');
    const own = await createKey(member.client);
    const listed = (await member.client.request('GET', `/api/keys/${own.id}`)).json();
    expect(listed.createdBy).toBe(member.userId);
    const ownersKey = await createKey(owner.client, { name: 'production' });
    const theirs = await member.client.request('DELETE', `/api/keys/${ownersKey.id}`);
    expect(theirs.statusCode).toBe(403);
    expect((await chat(ownersKey.secret)).statusCode).toBe(200);
    expect((await member.client.request('DELETE', `/api/keys/${own.id}`)).statusCode).toBe(200);
    expect((await chat(own.secret)).statusCode).toBe(401);
  });
});

describe('a key', () => {
  it('narrows as soon as its creator is demoted, on every replica, and widens again when they are promoted', async () => {
    const replica = await context.replica();
    const admin = await joinAs('admin');
    const key = await createKey(admin.client, { scopes: ['admin', 'gateway'] });
    const readMembers = (app = context.app) =>
      app.inject({ url: '/api/members', headers: { authorization: `Bearer ${key.secret}` } });
    // Each replica caches the key with its creator's role.
    expect((await readMembers()).statusCode).toBe(200);
    expect((await readMembers(replica)).statusCode).toBe(200);

    await owner.client.request('PATCH', `/api/members/${admin.userId}`, { role: 'member' });
    expect((await readMembers()).statusCode).toBe(403);
    await expect.poll(async () => (await readMembers(replica)).statusCode).toBe(403);
    expect((await chat(key.secret)).statusCode).toBe(200);

    await owner.client.request('PATCH', `/api/members/${admin.userId}`, { role: 'viewer' });
    const asViewer = await chat(key.secret);
    expect(asViewer.statusCode).toBe(403);
    expect(asViewer.json().error.message).toContain('whoever created it is now viewer');

    await owner.client.request('PATCH', `/api/members/${admin.userId}`, { role: 'admin' });
    await expect.poll(async () => (await readMembers(replica)).statusCode).toBe(200);
  });

  it('stops, on every replica, when its creator leaves the org', async () => {
    const replica = await context.replica();
    const admin = await joinAs('admin');
    const key = await createKey(admin.client, { scopes: ['gateway'] });
    expect(
      (await replica.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${key.secret}` } }))
        .statusCode,
    ).toBe(200);
    await owner.client.request('DELETE', `/api/members/${admin.userId}`);
    await expect
      .poll(
        async () =>
          (await replica.inject({ url: '/v1/models', headers: { authorization: `Bearer ${key.secret}` } })).statusCode,
      )
      .toBe(401);
  });

  it('acts as an admin even when an owner made it: it cannot grant the owner role', async () => {
    const ownersKey = await createKey(owner.client, { scopes: ['admin'] });
    const member = await joinAs('member');
    const grant = await withKey(ownersKey.secret, 'PATCH', `/api/members/${member.userId}`, { role: 'owner' });
    expect(grant.statusCode).toBe(403);
    expect(
      (await withKey(ownersKey.secret, 'PATCH', `/api/members/${member.userId}`, { role: 'admin' })).statusCode,
    ).toBe(200);
  });

  it('made by a key carries the same person’s authority', async () => {
    const admin = await joinAs('admin');
    const parent = await createKey(admin.client, { scopes: ['admin'] });
    const made = await withKey(parent.secret, 'POST', '/api/keys', { name: 'child', scopes: ['gateway'] });
    expect(made.statusCode).toBe(201);
    await owner.client.request('DELETE', `/api/members/${admin.userId}`);
    expect((await chat(made.json().secret)).statusCode).toBe(401);
  });

  it('cannot call what is for signed-in people', async () => {
    const key = await createKey(owner.client, { scopes: ['admin'] });
    const response = await withKey(key.secret, 'POST', '/api/orgs', { name: 'made by a key' });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('session_required');
  });
});

describe('nobody', () => {
  it('raises their own role, by session or by key; lowering it is theirs to do', async () => {
    const admin = await joinAs('admin');
    const self = await admin.client.request('PATCH', `/api/members/${admin.userId}`, { role: 'owner' });
    expect(self.statusCode).toBe(403);
    const key = await createKey(admin.client, { scopes: ['admin'] });
    const byKey = await withKey(key.secret, 'PATCH', `/api/members/${admin.userId}`, { role: 'owner' });
    expect(byKey.statusCode).toBe(403);
    const lowered = await admin.client.request('PATCH', `/api/members/${admin.userId}`, { role: 'member' });
    expect(lowered.statusCode).toBe(200);
    expect(lowered.json().role).toBe('member');
  });

  it('is made owner by an admin', async () => {
    const admin = await joinAs('admin');
    const member = await joinAs('member');
    const grant = await admin.client.request('PATCH', `/api/members/${member.userId}`, { role: 'owner' });
    expect(grant.statusCode).toBe(403);
    const invite = await admin.client.request('POST', '/api/invitations', { email: 'boss@example.com', role: 'owner' });
    expect(invite.statusCode).toBe(403);
  });
});

describe('a session', () => {
  it('reads the role it has now, not the one it signed in with', async () => {
    const admin = await joinAs('admin');
    expect((await admin.client.request('GET', '/api/invitations')).statusCode).toBe(200);
    await owner.client.request('PATCH', `/api/members/${admin.userId}`, { role: 'viewer' });
    expect((await admin.client.request('GET', '/api/invitations')).statusCode).toBe(403);
  });
});
