import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, type SessionClient, signUp, type TestContext } from '../../test/test-app.js';

let context: TestContext;
beforeAll(async () => {
  context = await createTestApp();
});
afterAll(() => context?.close());

/** What a gateway call with `secret` answers. */
async function gatewayStatus(secret: string): Promise<number> {
  const response = await context.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${secret}` },
    payload: { model: 'mock/echo', messages: [{ role: 'user', content: 'still in?' }] },
  });
  return response.statusCode;
}

/**
 * An org whose owner invited an admin; the admin made a key in it, and one in their own org before
 * joining.
 */
async function orgWithDepartingAdmin(name: string) {
  const owner = await signUp(context.app, { orgName: name });
  const ownerKey = await createKey(owner.client, { name: 'owner service' });
  const admin = await signUp(context.app, { orgName: `${name} admin's own` });
  const elsewhereKey = await createKey(admin.client, { name: 'their own org' });
  const invitation = (
    await owner.client.request('POST', '/api/invitations', { email: admin.email, role: 'admin' })
  ).json();
  const accepted = await admin.client.request('POST', '/api/invitations/accept', { token: invitation.token });
  expect(accepted.statusCode, accepted.body).toBe(200);
  const theirKey = await createKey(admin.client, { name: `made in ${name}` });
  return { owner, ownerKey, admin, elsewhereKey, theirKey };
}

async function revokedAt(client: SessionClient, keyId: string) {
  const keys = (await client.request('GET', '/api/keys')).json().data as Array<{ id: string; revokedAt: string }>;
  return keys.find((key) => key.id === keyId)?.revokedAt;
}

describe('removing a member', () => {
  it('revokes the keys they made in this org, and only those', async () => {
    const org = await orgWithDepartingAdmin('Revoking');
    expect(await gatewayStatus(org.theirKey.secret)).toBe(200);

    const removed = await org.owner.client.request('DELETE', `/api/members/${org.admin.userId}`);
    expect(removed.statusCode, removed.body).toBe(204);

    expect(await gatewayStatus(org.theirKey.secret)).toBe(401);
    expect(await revokedAt(org.owner.client, org.theirKey.id)).not.toBeNull();
    // The org's other keys, and the key they made in their own org, keep working.
    expect(await gatewayStatus(org.ownerKey.secret)).toBe(200);
    expect(await gatewayStatus(org.elsewhereKey.secret)).toBe(200);
    const members = (await org.owner.client.request('GET', '/api/members')).json().data as Array<{ userId: string }>;
    expect(members.map((member) => member.userId)).not.toContain(org.admin.userId);
  });

  it('still takes revokeKeys=true from older clients', async () => {
    const org = await orgWithDepartingAdmin('Older client');
    const removed = await org.owner.client.request('DELETE', `/api/members/${org.admin.userId}?revokeKeys=true`);
    expect(removed.statusCode, removed.body).toBe(204);
    expect(await gatewayStatus(org.theirKey.secret)).toBe(401);
  });

  it('lets a member leave and take their keys with them', async () => {
    const org = await orgWithDepartingAdmin('Leaving');
    const left = await org.admin.client.request('DELETE', `/api/members/${org.admin.userId}`);
    expect(left.statusCode, left.body).toBe(204);
    expect(await gatewayStatus(org.theirKey.secret)).toBe(401);
    expect(await gatewayStatus(org.ownerKey.secret)).toBe(200);
  });

  it.each(['false', 'yes'])('refuses revokeKeys=%s, saying why, and removes no one', async (value) => {
    const org = await orgWithDepartingAdmin(`Keep ${value}`);
    const response = await org.owner.client.request('DELETE', `/api/members/${org.admin.userId}?revokeKeys=${value}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain("revokeKeys: must be true or left out: a removed member's keys");
    const members = (await org.owner.client.request('GET', '/api/members')).json().data as Array<{ userId: string }>;
    expect(members.map((member) => member.userId)).toContain(org.admin.userId);
    expect(await gatewayStatus(org.theirKey.secret)).toBe(200);
  });
});
