import { apiErrorSchema, meResponseSchema } from '@switchyard/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, SessionClient, signUp, type TestContext } from '../../test/test-app.js';
import { users } from '../db/schema.js';

let context: TestContext;
beforeAll(async () => {
  context = await createTestApp();
});
afterAll(() => context?.close());

describe('sign-up, login and sessions', () => {
  it('signs up into a new org as its owner, with an httpOnly session cookie', async () => {
    const client = new SessionClient(context.app);
    const response = await client.request('POST', '/api/auth/signup', {
      email: 'Ada@Example.com',
      password: 'analytical engine',
      name: 'Ada',
      orgName: 'Lovelace Labs',
    });
    expect(response.statusCode).toBe(201);
    const me = meResponseSchema.parse(response.json());
    expect(me.user.email).toBe('ada@example.com');
    expect(me.org).toMatchObject({ name: 'Lovelace Labs', slug: 'lovelace-labs', plan: 'free', role: 'owner' });
    const sessionCookie = response.cookies.find((cookie) => cookie.name === 'sy_session');
    expect(sessionCookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect((await client.request('GET', '/api/me')).json().user.email).toBe('ada@example.com');
  });

  it('stores only a salted scrypt hash of the password', async () => {
    const [row] = await context.backends.database.db.select().from(users).where(eq(users.email, 'ada@example.com'));
    expect(row?.passwordHash).toMatch(/^scrypt\$/);
    expect(row?.passwordHash).not.toContain('analytical engine');
  });

  it('logs in with the right password and refuses a wrong one without saying which part was wrong', async () => {
    const client = new SessionClient(context.app);
    const good = await client.request('POST', '/api/auth/login', {
      email: 'ada@example.com',
      password: 'analytical engine',
    });
    expect(good.statusCode).toBe(200);
    expect(good.json().org.slug).toBe('lovelace-labs');
    const wrongPassword = await new SessionClient(context.app).request('POST', '/api/auth/login', {
      email: 'ada@example.com',
      password: 'difference engine',
    });
    const unknownUser = await new SessionClient(context.app).request('POST', '/api/auth/login', {
      email: 'nobody@example.com',
      password: 'difference engine',
    });
    expect(wrongPassword.statusCode).toBe(401);
    expect(unknownUser.statusCode).toBe(401);
    expect(wrongPassword.json().error.message).toBe(unknownUser.json().error.message);
  });

  it('names the field at fault in a bad request', async () => {
    const response = await new SessionClient(context.app).request('POST', '/api/auth/signup', {
      email: 'not-an-email',
      password: 'short',
    });
    expect(response.statusCode).toBe(400);
    const { error } = apiErrorSchema.parse(response.json());
    expect(error.message).toContain('body.email');
    expect(error.message).toContain('body.password: must be at least 10 characters');
  });

  it('refuses a second account with the same email', async () => {
    const { email } = await signUp(context.app);
    const again = await new SessionClient(context.app).request('POST', '/api/auth/signup', {
      email,
      password: 'another long password',
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('email_taken');
  });

  it('ends the session on logout: the old cookie no longer works', async () => {
    const { client } = await signUp(context.app);
    const oldCookies = new Map(client.cookies);
    const logout = await client.request('POST', '/api/auth/logout');
    expect(logout.statusCode).toBe(204);
    const replay = await context.app.inject({ url: '/api/me', cookies: Object.fromEntries(oldCookies) });
    expect(replay.statusCode).toBe(401);
  });

  it('expires sessions on the server after their lifetime', async () => {
    const { client } = await signUp(context.app);
    context.clock.advance(8 * 24 * 3600 * 1000);
    try {
      const response = await client.request('GET', '/api/me');
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('session_expired');
    } finally {
      context.clock.advance(-8 * 24 * 3600 * 1000);
    }
  });

  it('requires the CSRF header on cookie-authenticated mutations', async () => {
    const { client } = await signUp(context.app);
    const withoutHeader = await client.request('POST', '/api/keys', { name: 'k' }, { 'x-csrf-token': '' });
    expect(withoutHeader.statusCode).toBe(403);
    expect(withoutHeader.json().error.code).toBe('csrf_failed');
    const forged = await client.request('POST', '/api/keys', { name: 'k' }, { 'x-csrf-token': 'guessed-token' });
    expect(forged.statusCode).toBe(403);
    const real = await client.request('POST', '/api/keys', { name: 'k' });
    expect(real.statusCode).toBe(201);
  });

  it('rate-limits failed logins per account, with retry-after', async () => {
    const { email } = await signUp(context.app);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) {
      const response = await context.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email, password: `wrong password ${attempt}` },
        remoteAddress: `10.0.0.${attempt + 1}`,
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    // Even the right password waits until the window has passed.
    const blocked = await context.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password: 'correct horse battery staple' },
      remoteAddress: '10.0.1.1',
    });
    expect(blocked.statusCode).toBe(429);
  });

  it('rate-limits login attempts per IP address', async () => {
    let last = 0;
    for (let attempt = 0; attempt < 31; attempt++) {
      const response = await context.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: `someone${attempt}@example.com`, password: 'irrelevant password' },
        remoteAddress: '192.0.2.77',
      });
      last = response.statusCode;
    }
    expect(last).toBe(429);
  });

  it('switches between the orgs a user belongs to', async () => {
    const { client } = await signUp(context.app, { orgName: 'First' });
    const created = await client.request('POST', '/api/orgs', { name: 'Second' });
    expect(created.statusCode).toBe(201);
    const switched = await client.request('POST', '/api/auth/switch-org', { orgId: created.json().id });
    expect(switched.statusCode).toBe(200);
    expect(switched.json().org).toMatchObject({ name: 'Second', role: 'owner' });
    expect((await client.request('GET', '/api/org')).json().name).toBe('Second');
    expect((await client.request('GET', '/api/me')).json().orgs.map((org: { name: string }) => org.name)).toEqual([
      'First',
      'Second',
    ]);
  });
});

describe('invitations and invite-only sign-up', () => {
  let inviteOnly: TestContext;
  let first: { email: string; password: string; orgSlug: string };
  beforeAll(async () => {
    inviteOnly = await createTestApp({ env: { SIGNUP: 'invite' } });
    const { bootstrapFirstRun } = await import('./first-run.js');
    const created = await bootstrapFirstRun(inviteOnly.backends.database.db, { passwordCost: 2 ** 10 });
    if (!created) throw new Error('expected a first run on an empty database');
    first = created;
  });
  const signInAdmin = async () => {
    const admin = new SessionClient(inviteOnly.app);
    const response = await admin.request('POST', '/api/auth/login', { email: first.email, password: first.password });
    expect(response.statusCode).toBe(200);
    return admin;
  };
  afterAll(() => inviteOnly?.close());

  it('refuses open sign-up when SIGNUP=invite', async () => {
    const response = await new SessionClient(inviteOnly.app).request('POST', '/api/auth/signup', {
      email: 'walk-in@example.com',
      password: 'a long enough password',
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('signup_closed');
  });

  it('lets an invited person sign up into the inviting org with the invited role', async () => {
    const admin = await signInAdmin();
    const invitation = await admin.request('POST', '/api/invitations', { email: 'grace@example.com', role: 'admin' });
    expect(invitation.statusCode).toBe(201);
    const { token, signupUrl } = invitation.json();
    expect(signupUrl).toContain(encodeURIComponent(token));

    const wrongEmail = await new SessionClient(inviteOnly.app).request('POST', '/api/auth/signup', {
      email: 'mallory@example.com',
      password: 'a long enough password',
      inviteToken: token,
    });
    expect(wrongEmail.statusCode).toBe(400);

    const grace = new SessionClient(inviteOnly.app);
    const joined = await grace.request('POST', '/api/auth/signup', {
      email: 'grace@example.com',
      password: 'a long enough password',
      inviteToken: token,
    });
    expect(joined.statusCode).toBe(201);
    expect(joined.json().org).toMatchObject({ slug: first.orgSlug, role: 'admin' });
    const members = (await admin.request('GET', '/api/members')).json().data;
    expect(members.map((member: { email: string }) => member.email)).toContain('grace@example.com');

    const reused = await new SessionClient(inviteOnly.app).request('POST', '/api/auth/signup', {
      email: 'grace@example.com',
      password: 'a long enough password',
      inviteToken: token,
    });
    expect(reused.statusCode).toBe(400);

    // Grace is in now: inviting her again is refused, naming why.
    const again = await admin.request('POST', '/api/invitations', { email: 'Grace@Example.com', role: 'member' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({
      code: 'already_member',
      message: expect.stringContaining('grace@example.com'),
    });
  });

  it('resends an invitation by replacing the open one: one link per person, the old one dead', async () => {
    const admin = await signInAdmin();
    const first = (
      await admin.request('POST', '/api/invitations', { email: 'ada@example.com', role: 'member' })
    ).json();
    const second = (
      await admin.request('POST', '/api/invitations', { email: 'ada@example.com', role: 'viewer' })
    ).json();
    const open = (await admin.request('GET', '/api/invitations'))
      .json()
      .data.filter((invitation: { email: string }) => invitation.email === 'ada@example.com');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ id: second.id, role: 'viewer' });
    const withOldLink = await new SessionClient(inviteOnly.app).request('POST', '/api/auth/signup', {
      email: 'ada@example.com',
      password: 'a long enough password',
      inviteToken: first.token,
    });
    expect(withOldLink.statusCode).toBe(400);
    const withNewLink = await new SessionClient(inviteOnly.app).request('POST', '/api/auth/signup', {
      email: 'ada@example.com',
      password: 'a long enough password',
      inviteToken: second.token,
    });
    expect(withNewLink.statusCode).toBe(201);
    expect(withNewLink.json().org.role).toBe('viewer');
  });
});
