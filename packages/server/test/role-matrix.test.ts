import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROLE_SCOPES, type Role, roleAtLeast, type Scope } from '@switchyard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/app.js';
import type { Access } from '../src/auth/access.js';
import { createKey, createTestApp, type SessionClient, signUp, signUpOperator, type TestContext } from './test-app.js';

/**
 * Every guarded route, called by every kind of caller, answers what docs/security.md says: the
 * table there is the specification, read here line by line.
 */
const SECURITY_DOC = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'security.md'), 'utf8');

function documentedAccess(): Map<string, Access> {
  const table = new Map<string, Access>();
  for (const match of SECURITY_DOC.matchAll(/^\| `(GET|POST|PUT|PATCH|DELETE) (\/\S+)` \| ([^|]+?) \|/gm)) {
    const [, method, url, who] = match as unknown as [string, string, string, string];
    table.set(`${method} ${url}`, parseWho(who));
  }
  return table;
}

function parseWho(who: string): Access {
  if (who === 'anyone') return { kind: 'public' };
  if (who === 'signed-in') return { kind: 'session' };
  if (who === 'operator') return { kind: 'operator' };
  if (who.startsWith('key: ')) return { kind: 'apiKey', scope: who.slice(5) as Scope };
  if (['viewer', 'member', 'admin', 'owner'].includes(who)) return { kind: 'member', role: who as Role };
  throw new Error(`docs/security.md: "${who}" is not a kind of caller the table defines`);
}

type Caller =
  | { name: string; kind: 'anonymous' }
  | { name: string; kind: 'session'; role: Role; isOperator: boolean; client: SessionClient }
  | { name: string; kind: 'key'; secret: string; scopes: readonly Scope[] };

/** What the documented access promises a caller: through, or refused with 401 or 403. */
function expectedAnswer(access: Access, caller: Caller): 'through' | 401 | 403 {
  if (access.kind === 'public') return 'through';
  if (caller.kind === 'anonymous') return 401;
  switch (access.kind) {
    case 'apiKey':
      if (caller.kind === 'session') return 401;
      return caller.scopes.includes(access.scope) ? 'through' : 403;
    case 'member':
      if (caller.kind === 'session') return roleAtLeast(caller.role, access.role) ? 'through' : 403;
      // A key reaches /api only with the admin scope, and acts as an admin there.
      return caller.scopes.includes('admin') && roleAtLeast('admin', access.role) ? 'through' : 403;
    case 'session':
      return caller.kind === 'session' ? 'through' : 403;
    case 'operator':
      return caller.kind === 'session' && caller.isOperator ? 'through' : 403;
  }
}

/**
 * Routes whose rule depends on whose resource it is. The matrix calls them with made-up ids, which
 * are someone else's: removing someone else needs an admin (leaving is tested in member-removal).
 */
const FOR_SOMEONE_ELSE: Record<string, Access> = {
  'DELETE /api/members/:userId': { kind: 'member', role: 'admin' },
};

let context: TestContext;
let app: App;
const callers: Caller[] = [{ name: 'no credentials', kind: 'anonymous' }];

async function joinAs(owner: SessionClient, role: Role) {
  const account = await signUp(app, { orgName: `${role}'s own org` });
  const invitation = await owner.request('POST', '/api/invitations', { email: account.email, role });
  const accepted = await account.client.request('POST', '/api/invitations/accept', { token: invitation.json().token });
  if (accepted.statusCode !== 200) throw new Error(`accept failed: ${accepted.body}`);
  return account;
}

beforeAll(async () => {
  context = await createTestApp();
  app = context.app;
  const operator = await signUpOperator(app);
  const owner = await signUp(app, { orgName: 'Matrix' });
  callers.push({ name: 'operator session', kind: 'session', role: 'owner', isOperator: true, client: operator.client });
  callers.push({ name: 'owner session', kind: 'session', role: 'owner', isOperator: false, client: owner.client });
  const members: Partial<Record<Role, SessionClient>> = { owner: owner.client };
  for (const role of ['admin', 'member', 'viewer'] as const) {
    members[role] = (await joinAs(owner.client, role)).client;
    callers.push({ name: `${role} session`, kind: 'session', role, isOperator: false, client: members[role] });
  }
  // Keys made by each role with everything that role may give, plus single-scope keys.
  for (const role of ['owner', 'admin', 'member'] as const) {
    const scopes = ROLE_SCOPES[role];
    const key = await createKey(members[role] as SessionClient, { name: `${role}'s key`, scopes });
    callers.push({ name: `key made by the ${role} [${scopes.join(',')}]`, kind: 'key', secret: key.secret, scopes });
  }
  for (const scope of ['gateway', 'ingest', 'admin'] as const) {
    const key = await createKey(owner.client, { name: `${scope} only`, scopes: [scope] });
    callers.push({ name: `${scope}-only key`, kind: 'key', secret: key.secret, scopes: [scope] });
  }
  // An admin's full key, then the admin is made a member: the key keeps only what a member may hold.
  const demoted = await joinAs(owner.client, 'admin');
  const demotedKey = await createKey(demoted.client, { name: 'demoted', scopes: ['admin', 'gateway', 'ingest'] });
  const demotion = await owner.client.request('PATCH', `/api/members/${demoted.userId}`, { role: 'member' });
  if (demotion.statusCode !== 200) throw new Error(`demotion failed: ${demotion.body}`);
  callers.push({
    name: 'admin key of a creator demoted to member',
    kind: 'key',
    secret: demotedKey.secret,
    scopes: ROLE_SCOPES.member,
  });
});
afterAll(() => context?.close());

/** Calls a route as `caller`, with made-up ids and a body that is not JSON at all. */
async function call(route: { method: string; url: string }, caller: Caller): Promise<number> {
  const url = route.url.replace(/:\w+/g, () => randomUUID());
  const withBody = ['POST', 'PUT', 'PATCH'].includes(route.method);
  const headers: Record<string, string> = withBody ? { 'content-type': 'application/json' } : {};
  if (caller.kind === 'key') headers.authorization = `Bearer ${caller.secret}`;
  const payload = withBody ? '{"this is": not json' : undefined;
  const method = route.method as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  // The live feed answers with a stream that does not end: its status is all this needs.
  const payloadAsStream = route.url === '/api/live';
  const response =
    caller.kind === 'session'
      ? await caller.client.app.inject({
          method,
          url,
          payload,
          payloadAsStream,
          cookies: Object.fromEntries(caller.client.cookies),
          remoteAddress: caller.client.remoteAddress,
          headers: { ...headers, ...(method === 'GET' ? {} : { 'x-csrf-token': caller.client.csrfToken }) },
        })
      : await app.inject({ method, url, payload, headers, payloadAsStream });
  if (payloadAsStream) response.stream().destroy();
  return response.statusCode;
}

describe('the route table in docs/security.md', () => {
  it('lists every guarded route with the access it declares, and no route that is gone', () => {
    const declared = new Map(app.routeAccess.map((route) => [`${route.method} ${route.url}`, route.access]));
    const documented = documentedAccess();
    expect([...documented.keys()].sort()).toEqual([...declared.keys()].sort());
    for (const [route, access] of declared) expect(documented.get(route), route).toEqual(access);
  });
});

describe('every route, as every caller', () => {
  it('answers what the table says, before reading the body', async () => {
    const documented = documentedAccess();
    const wrong: string[] = [];
    for (const route of app.routeAccess) {
      const name = `${route.method} ${route.url}`;
      const access = FOR_SOMEONE_ELSE[name] ?? documented.get(name);
      if (!access) continue;
      for (const caller of callers) {
        const expected = expectedAnswer(access, caller);
        const status = await call(route, caller);
        const fits = expected === 'through' ? status !== 401 && status !== 403 && status < 500 : status === expected;
        if (!fits) wrong.push(`${route.method} ${route.url} as ${caller.name}: ${status}, expected ${expected}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('covers refusals and passes for every kind of access (the matrix is not vacuous)', () => {
    const outcomes = new Set<string>();
    for (const route of app.routeAccess)
      for (const caller of callers) outcomes.add(`${route.access.kind}:${expectedAnswer(route.access, caller)}`);
    for (const kind of ['apiKey', 'member', 'session', 'operator'])
      for (const answer of ['through', '401', '403'])
        expect(outcomes, `${kind} ${answer}`).toContain(`${kind}:${answer}`);
  });
});
