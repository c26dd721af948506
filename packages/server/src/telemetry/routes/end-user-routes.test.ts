import { randomUUID } from 'node:crypto';
import Anthropic from '@anthropic-ai/sdk';
import { END_USER_SORTS, endUserSummarySchema, pageSchema, traceSummarySchema } from '@switchyard/shared';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayFixture, startGatewayFixture } from '../../../test/gateway-fixture.js';
import { createKey, signUp } from '../../../test/test-app.js';

let fixture: GatewayFixture;
let ingestSecret: string;

const userList = pageSchema(endUserSummarySchema);
const HOUR = Date.parse('2026-03-04T10:00:00.000Z');
const at = (minutes: number) => new Date(HOUR + minutes * 60_000).toISOString();

const envelope = (type: string, body: Record<string, unknown>) => ({
  id: randomUUID(),
  type,
  timestamp: new Date().toISOString(),
  body,
});

function call(options: {
  id: string;
  userId?: string;
  sessionId?: string;
  minute: number;
  costUsd: number;
  error?: boolean;
  generations?: number;
}) {
  return [
    envelope('trace-create', {
      id: options.id,
      userId: options.userId,
      sessionId: options.sessionId,
      startTime: at(options.minute),
    }),
    // A trace may hold several model calls: the user's requests count the trace once.
    ...Array.from({ length: options.generations ?? 1 }, (_, index) =>
      envelope('observation-create', {
        id: `${options.id}-gen-${index}`,
        traceId: options.id,
        type: 'generation',
        model: 'house/model',
        startTime: at(options.minute),
        usage: { inputTokens: 100, outputTokens: 20 },
        costUsd: options.costUsd,
        status: options.error && index === 0 ? 'error' : 'success',
      }),
    ),
  ];
}

async function get(url: string) {
  const response = await fixture.owner.request('GET', url);
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

beforeAll(async () => {
  fixture = await startGatewayFixture();
  ({ secret: ingestSecret } = await createKey(fixture.owner, { scopes: ['ingest'] }));
  const batch = [
    // ada: three traces (one of two calls, one failed) in two sessions, the biggest spender.
    ...call({ id: 'a1', userId: 'ada', sessionId: 's1', minute: 1, costUsd: 0.01 }),
    ...call({ id: 'a2', userId: 'ada', sessionId: 's1', minute: 2, costUsd: 0.02, generations: 2, error: true }),
    ...call({ id: 'a3', userId: 'ada', sessionId: 's2', minute: 3, costUsd: 0.03 }),
    // bob: one trace, seen last.
    ...call({ id: 'b1', userId: 'bob', minute: 30, costUsd: 0.001 }),
    // A trace without a user is nobody's.
    ...call({ id: 'anonymous', minute: 40, costUsd: 5 }),
    // Users with ids a person types: spaces, @, a slash.
    ...call({ id: 'c1', userId: 'carol@example.com', minute: 10, costUsd: 0.002 }),
    ...call({ id: 'c2', userId: 'carol@example.com', minute: 11, costUsd: 0.002 }),
    ...call({ id: 'd1', userId: 'team/dave smith', minute: 20, costUsd: 0.005 }),
  ];
  const response = await fixture.context.app.inject({
    method: 'POST',
    url: '/v1/ingest',
    headers: { authorization: `Bearer ${ingestSecret}` },
    payload: { batch },
  });
  if (response.statusCode !== 207 || response.json().errors.length) throw new Error(`ingest failed: ${response.body}`);
});
afterAll(() => fixture?.close());

describe('GET /api/users', () => {
  it('lists each end user with their requests, sessions, tokens, cost, errors and when seen, last seen first', async () => {
    const page = userList.parse(await get('/api/users'));
    expect(page.data.map((user) => user.userId)).toEqual(['bob', 'team/dave smith', 'carol@example.com', 'ada']);
    expect(page.data.find((user) => user.userId === 'ada')).toEqual({
      userId: 'ada',
      traceCount: 3,
      sessionCount: 2,
      inputTokens: 400,
      outputTokens: 80,
      costUsd: expect.closeTo(0.08, 12),
      errorCount: 1,
      firstSeenAt: at(1),
      lastSeenAt: at(3),
    });
    expect(page.nextCursor).toBeNull();
  });

  it('sorts by cost or by requests', async () => {
    const byCost = userList.parse(await get('/api/users?sort=-costUsd'));
    expect(byCost.data.map((user) => user.userId)).toEqual(['ada', 'team/dave smith', 'carol@example.com', 'bob']);
    const byRequests = userList.parse(await get('/api/users?sort=-traceCount'));
    expect(byRequests.data.map((user) => [user.userId, user.traceCount])).toEqual([
      ['ada', 3],
      ['carol@example.com', 2],
      ['team/dave smith', 1],
      ['bob', 1],
    ]);
  });

  it.each(END_USER_SORTS)('pages with a cursor through every user once, sorted by %s', async (sort) => {
    const all = userList.parse(await get(`/api/users?sort=${sort}`)).data.map((user) => user.userId);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `sort=${sort}&limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = userList.parse(await get(`/api/users?${query}`));
      expect(page.data).toHaveLength(1);
      seen.push(...page.data.map((user) => user.userId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
  });

  it('counts only the traces in a time range when given one', async () => {
    const range = `from=${encodeURIComponent(at(2))}&to=${encodeURIComponent(at(15))}`;
    const page = userList.parse(await get(`/api/users?${range}`));
    expect(page.data.map((user) => [user.userId, user.traceCount])).toEqual([
      ['carol@example.com', 2],
      ['ada', 2],
    ]);
  });

  it('refuses a cursor made for another order, an unknown order and a forged cursor, naming what is wrong', async () => {
    const first = userList.parse(await get('/api/users?limit=1'));
    const wrongOrder = await fixture.owner.request(
      'GET',
      `/api/users?sort=-costUsd&cursor=${encodeURIComponent(first.nextCursor ?? '')}`,
    );
    expect(wrongOrder.statusCode).toBe(400);
    expect(wrongOrder.json().error.message).toContain('cursor');
    const badSort = await fixture.owner.request('GET', '/api/users?sort=name');
    expect(badSort.statusCode).toBe(400);
    expect(badSort.json().error.message).toContain('sort');
    const forged = Buffer.from(JSON.stringify(['-costUsd', 'lots', 'ada'])).toString('base64url');
    const forgedCursor = await fixture.owner.request('GET', `/api/users?sort=-costUsd&cursor=${forged}`);
    expect(forgedCursor.statusCode).toBe(400);
    const forgedTime = Buffer.from(JSON.stringify(['-lastSeenAt', 'yesterday', 'ada'])).toString('base64url');
    expect((await fixture.owner.request('GET', `/api/users?cursor=${forgedTime}`)).statusCode).toBe(400);
  });

  it('is in the OpenAPI document, beside sessions', async () => {
    const spec = (await fixture.context.app.inject('/docs/json')).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/users', '/api/users/{id}', '/api/sessions', '/api/sessions/{id}']),
    );
    expect(spec.paths['/api/users'].get.parameters.map((parameter: { name: string }) => parameter.name)).toContain(
      'sort',
    );
  });
});

describe('GET /api/users/:id', () => {
  it('answers one user’s totals, and their traces and sessions are a filter away', async () => {
    const id = encodeURIComponent('team/dave smith');
    expect(endUserSummarySchema.parse(await get(`/api/users/${id}`))).toMatchObject({
      userId: 'team/dave smith',
      traceCount: 1,
      costUsd: 0.005,
    });
    const carol = endUserSummarySchema.parse(await get(`/api/users/${encodeURIComponent('carol@example.com')}`));
    expect(carol).toMatchObject({ traceCount: 2, sessionCount: 0, inputTokens: 200 });
    const traces = pageSchema(traceSummarySchema).parse(await get('/api/traces?userId=ada'));
    expect(traces.data.map((trace) => trace.id)).toEqual(['a3', 'a2', 'a1']);
    const sessions = (await get('/api/sessions?userId=ada')).data.map(
      (session: { sessionId: string }) => session.sessionId,
    );
    expect(sessions).toEqual(['s2', 's1']);
  });

  it('answers 404 for a user the org has never seen', async () => {
    const response = await fixture.owner.request('GET', '/api/users/nobody');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});

describe('end users of gateway calls', () => {
  it('come from x-switchyard-user-id, else from the body’s `user` (OpenAI) or `metadata.user_id` (Anthropic)', async () => {
    // An org of its own, so these calls of today do not move the users above.
    const owner = await signUp(fixture.context.app);
    const { secret } = await createKey(owner.client, { scopes: ['gateway'] });
    const openai = new OpenAI({ baseURL: `${fixture.serverUrl}/v1`, apiKey: secret, maxRetries: 0 });
    const anthropic = new Anthropic({ baseURL: fixture.serverUrl, apiKey: secret, maxRetries: 0 });
    const messages = [{ role: 'user' as const, content: 'hi' }];
    await openai.chat.completions.create(
      { model: 'mock/echo', messages },
      { headers: { 'x-switchyard-user-id': 'erin' } },
    );
    await openai.chat.completions.create({ model: 'mock/echo', messages, user: 'frank' });
    // The header says who it is when both do.
    await openai.chat.completions.create(
      { model: 'mock/echo', messages, user: 'not-erin' },
      { headers: { 'x-switchyard-user-id': 'erin' } },
    );
    await anthropic.messages.create({
      model: 'mock/echo',
      max_tokens: 50,
      messages,
      metadata: { user_id: 'grace' },
    });
    await fixture.context.app.services.batchWriter.flush();
    const users = userList.parse((await owner.client.request('GET', '/api/users')).json()).data;
    const countOf = (userId: string) => users.find((user) => user.userId === userId)?.traceCount;
    expect([countOf('erin'), countOf('frank'), countOf('grace'), countOf('not-erin')]).toEqual([2, 1, 1, undefined]);
  });
});
