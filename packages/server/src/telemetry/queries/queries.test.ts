import { randomUUID } from 'node:crypto';
import {
  metricsResponseSchema,
  pageSchema,
  sessionSummarySchema,
  traceDetailSchema,
  traceSummarySchema,
} from '@switchyard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKey,
  createTestApp,
  type SessionClient,
  setPlan,
  signUp,
  type TestContext,
} from '../../../test/test-app.js';

let context: TestContext;
let owner: SessionClient;
let secret: string;
let keyId: string;

// Fixed times in the past, in two hours of one day, so buckets and ranges are known.
const HOUR = '2026-03-04T10:00:00.000Z';
const at = (minutes: number, seconds = 0) =>
  new Date(Date.parse(HOUR) + minutes * 60_000 + seconds * 1_000).toISOString();
const range = `from=${encodeURIComponent('2026-03-04T00:00:00Z')}&to=${encodeURIComponent('2026-03-05T00:00:00Z')}`;

const traceList = pageSchema(traceSummarySchema);
const sessionList = pageSchema(sessionSummarySchema);

const envelope = (type: string, body: Record<string, unknown>) => ({
  id: randomUUID(),
  type,
  timestamp: new Date().toISOString(),
  body,
});

/** A trace with one generation: `latencyMs` long, `tokens` in, costed by the price table. */
function callTrace(options: {
  id: string;
  minute: number;
  model: string;
  latencyMs: number;
  tokens: number;
  sessionId?: string;
  userId?: string;
  tags?: string[];
  error?: boolean;
}) {
  const start = at(options.minute);
  return [
    envelope('trace-create', {
      id: options.id,
      name: 'chat',
      startTime: start,
      sessionId: options.sessionId,
      userId: options.userId,
      tags: options.tags,
    }),
    envelope('observation-create', {
      id: `${options.id}-gen`,
      traceId: options.id,
      type: 'generation',
      provider: 'openai',
      model: options.model,
      startTime: start,
      endTime: new Date(Date.parse(start) + options.latencyMs).toISOString(),
      usage: { inputTokens: options.tokens, outputTokens: 10 },
      status: options.error ? 'error' : 'success',
    }),
  ];
}

beforeAll(async () => {
  context = await createTestApp();
  const signedUp = await signUp(context.app);
  owner = signedUp.client;
  await setPlan(context.app, signedUp.orgId, 'enterprise');
  ({ secret, id: keyId } = await createKey(owner, { scopes: ['ingest'] }));
  const batch = [
    ...callTrace({
      id: 't1',
      minute: 1,
      model: 'gpt-4o-mini',
      latencyMs: 40,
      tokens: 100,
      sessionId: 's-a',
      userId: 'ada',
    }),
    ...callTrace({
      id: 't2',
      minute: 2,
      model: 'gpt-4o-mini',
      latencyMs: 45,
      tokens: 200,
      sessionId: 's-a',
      userId: 'ada',
    }),
    ...callTrace({
      id: 't3',
      minute: 3,
      model: 'gpt-4o',
      latencyMs: 400,
      tokens: 300,
      sessionId: 's-b',
      tags: ['vip'],
    }),
    ...callTrace({ id: 't4', minute: 64, model: 'gpt-4o', latencyMs: 3_000, tokens: 1_000_000, error: true }),
    // An agent trace: a root span with a tool call and a generation under it.
    envelope('trace-create', { id: 'agent', name: 'agent run', startTime: at(70), endTime: at(70, 5) }),
    envelope('observation-create', { id: 'plan', traceId: 'agent', type: 'agent', name: 'plan', startTime: at(70) }),
    envelope('observation-create', {
      id: 'search',
      traceId: 'agent',
      parentId: 'plan',
      type: 'tool',
      name: 'search',
      startTime: at(70, 1),
      endTime: at(70, 2),
    }),
    envelope('observation-create', {
      id: 'answer',
      traceId: 'agent',
      parentId: 'plan',
      type: 'generation',
      model: 'openai/gpt-4o-mini',
      startTime: at(70, 2),
      endTime: at(70, 4),
      usage: { inputTokens: 50, outputTokens: 20 },
    }),
    envelope('observation-update', { id: 'plan', endTime: at(70, 5) }),
    envelope('score-create', { id: 'agent-score', traceId: 'agent', name: 'correct', value: 0.9 }),
  ];
  const response = await context.app.inject({
    method: 'POST',
    url: '/v1/ingest',
    headers: { authorization: `Bearer ${secret}` },
    payload: { batch },
  });
  if (response.statusCode !== 207 || response.json().errors.length) throw new Error(`ingest failed: ${response.body}`);
});
afterAll(async () => context?.close());

async function get(url: string) {
  const response = await owner.request('GET', url);
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

const ids = async (query: string) =>
  traceList.parse(await get(`/api/traces?${range}&${query}`)).data.map((trace) => trace.id);

describe('GET /api/traces', () => {
  it('lists traces newest first with their totals', async () => {
    const page = traceList.parse(await get(`/api/traces?${range}`));
    expect(page.data.map((trace) => trace.id)).toEqual(['agent', 't4', 't3', 't2', 't1']);
    expect(page.data.find((trace) => trace.id === 't4')).toMatchObject({
      status: 'error',
      latencyMs: 3_000,
      inputTokens: 1_000_000,
      // gpt-4o: $2.50 per million in, $10 per million out
      costUsd: 2.5 + 0.0001,
      models: ['gpt-4o'],
    });
    expect(page.data[0]).toMatchObject({ id: 'agent', observationCount: 3, latencyMs: 5_000, name: 'agent run' });
  });

  it('filters by model, status, user, session, tag, key, cost and latency', async () => {
    expect(await ids('model=gpt-4o')).toEqual(['t4', 't3']);
    expect(await ids('status=error')).toEqual(['t4']);
    expect(await ids('status=success&provider=openai')).toEqual(['t3', 't2', 't1']);
    expect(await ids('userId=ada')).toEqual(['t2', 't1']);
    expect(await ids('sessionId=s-b')).toEqual(['t3']);
    expect(await ids('tag=vip')).toEqual(['t3']);
    expect(await ids(`keyId=${keyId}&minLatencyMs=400`)).toEqual(['agent', 't4', 't3']);
    expect(await ids('minCostUsd=1')).toEqual(['t4']);
    expect(await ids(`keyId=${randomUUID()}`)).toEqual([]);
    const before = traceList.parse(await get(`/api/traces?to=${encodeURIComponent(at(2, 30))}`));
    expect(before.data.map((trace) => trace.id)).toEqual(['t2', 't1']);
  });

  it('pages with a cursor through every trace once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = traceList.parse(
        await get(`/api/traces?${range}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
      );
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((trace) => trace.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['agent', 't4', 't3', 't2', 't1']);
  });

  it('sorts by latency, cost or tokens either way, and pages through each order once', async () => {
    expect(await ids('sort=-latencyMs')).toEqual(['agent', 't4', 't3', 't2', 't1']);
    expect(await ids('sort=latencyMs')).toEqual(['t1', 't2', 't3', 't4', 'agent']);
    expect(await ids('sort=-tokens')).toEqual(['t4', 't3', 't2', 't1', 'agent']);
    expect(await ids('sort=tokens')).toEqual(['agent', 't1', 't2', 't3', 't4']);
    expect(await ids('sort=startTime')).toEqual(['t1', 't2', 't3', 't4', 'agent']);
    for (const sort of ['-costUsd', 'costUsd', '-latencyMs', 'latencyMs', '-tokens', 'tokens', 'startTime']) {
      const all = await ids(`sort=${sort}`);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page = traceList.parse(
          await get(
            `/api/traces?${range}&sort=${sort}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          ),
        );
        paged.push(...page.data.map((trace) => trace.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged, sort).toEqual(all);
    }
    const costs = async (sort: string) =>
      traceList.parse(await get(`/api/traces?${range}&sort=${sort}`)).data.map((trace) => trace.costUsd);
    const priced = (values: Array<number | null>) => values.filter((value): value is number => value !== null);
    const descending = await costs('-costUsd');
    expect(priced(descending)).toEqual(priced(descending).toSorted((first, second) => second - first));
    expect(priced(await costs('costUsd'))).toEqual(priced(descending).toReversed());
  });

  it('puts traces without a cost or a latency last, whichever way they are sorted', async () => {
    const day = '2026-03-06T10:00:00.000Z';
    const response = await context.app.inject({
      method: 'POST',
      url: '/v1/ingest',
      headers: { authorization: `Bearer ${secret}` },
      payload: {
        batch: [
          envelope('trace-create', { id: 'bare', name: 'no steps yet', startTime: day }),
          envelope('trace-create', { id: 'priced', name: 'chat', startTime: day, endTime: '2026-03-06T10:00:01.000Z' }),
          envelope('observation-create', {
            id: 'priced-gen',
            traceId: 'priced',
            type: 'generation',
            provider: 'openai',
            model: 'gpt-4o-mini',
            startTime: day,
            usage: { inputTokens: 10, outputTokens: 10 },
          }),
        ],
      },
    });
    expect(response.json().errors).toEqual([]);
    const otherDay = `from=${encodeURIComponent('2026-03-06T00:00:00Z')}&to=${encodeURIComponent('2026-03-07T00:00:00Z')}`;
    for (const sort of ['-costUsd', 'costUsd', '-latencyMs', 'latencyMs']) {
      const page = traceList.parse(await get(`/api/traces?${otherDay}&sort=${sort}`));
      expect(
        page.data.map((trace) => trace.id),
        sort,
      ).toEqual(['priced', 'bare']);
    }
  });

  it('refuses a cursor made for another order', async () => {
    const page = traceList.parse(await get(`/api/traces?${range}&sort=-costUsd&limit=1`));
    const response = await owner.request('GET', `/api/traces?${range}&sort=-tokens&cursor=${page.nextCursor}`);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/cursor/);
  });

  it('refuses a bad filter naming it', async () => {
    const response = await owner.request('GET', '/api/traces?minCostUsd=cheap');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/minCostUsd/);
    const badCursor = await owner.request('GET', '/api/traces?cursor=nope');
    expect(badCursor.statusCode).toBe(400);
  });
});

describe('GET /api/traces/:id', () => {
  it('returns the tree: observations with parentId and timings, and scores', async () => {
    const trace = traceDetailSchema.parse(await get('/api/traces/agent'));
    expect(trace.observations.map((observation) => [observation.id, observation.parentId, observation.type])).toEqual([
      ['plan', null, 'agent'],
      ['search', 'plan', 'tool'],
      ['answer', 'plan', 'generation'],
    ]);
    expect(trace.observations.find((observation) => observation.id === 'answer')).toMatchObject({
      latencyMs: 2_000,
      inputTokens: 50,
      costUsd: (50 * 0.15 + 20 * 0.6) / 1e6,
    });
    expect(trace.observations[0]?.endTime).toBe(at(70, 5));
    expect(trace.scores).toMatchObject([{ name: 'correct', value: 0.9 }]);
  });

  it('answers 404 for a trace that does not exist', async () => {
    expect((await owner.request('GET', '/api/traces/nope')).statusCode).toBe(404);
  });
});

describe('GET /api/sessions', () => {
  it('groups traces by session with their totals, most recent first', async () => {
    const page = sessionList.parse(await get(`/api/sessions?${range}`));
    expect(page.data).toMatchObject([
      { sessionId: 's-b', traceCount: 1, userIds: [], inputTokens: 300 },
      { sessionId: 's-a', traceCount: 2, userIds: ['ada'], inputTokens: 300, firstTraceAt: at(1), lastTraceAt: at(2) },
    ]);
  });
});

describe('GET /api/metrics', () => {
  it('sums the rollups per hour and model, with latency percentiles from the histogram', async () => {
    const metrics = metricsResponseSchema.parse(await get(`/api/metrics?${range}&groupBy=model`));
    const points = metrics.points.map((point) => [point.time, point.group, point.requests, point.errors]);
    expect(points).toEqual([
      ['2026-03-04T10:00:00.000Z', 'gpt-4o', 1, 0],
      ['2026-03-04T10:00:00.000Z', 'gpt-4o-mini', 2, 0],
      ['2026-03-04T11:00:00.000Z', 'gpt-4o', 1, 1],
      ['2026-03-04T11:00:00.000Z', 'openai/gpt-4o-mini', 1, 0],
    ]);
    expect(metrics.totals).toMatchObject({ requests: 5, errors: 1, inputTokens: 100 + 200 + 300 + 1_000_000 + 50 });
    const mini = metrics.points[1];
    // 40 ms and 45 ms both fall in the (25, 50] bucket.
    expect(mini?.latencyMs.p50).toBeGreaterThan(25);
    expect(mini?.latencyMs.p50).toBeLessThanOrEqual(50);
    expect(mini?.latencyMs.avg).toBe(42.5);
  });

  it('buckets by day and groups by key', async () => {
    const metrics = metricsResponseSchema.parse(await get(`/api/metrics?${range}&bucket=day&groupBy=key`));
    expect(metrics.points).toMatchObject([{ time: '2026-03-04T00:00:00.000Z', group: keyId, requests: 5 }]);
  });

  it('counts minute buckets from the calls, with the same values and groups as the rollups', async () => {
    const hour = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(60))}`;
    const metrics = metricsResponseSchema.parse(await get(`/api/metrics?${hour}&bucket=minute&groupBy=model`));
    expect(metrics.bucket).toBe('minute');
    expect(metrics.points.map((point) => [point.time, point.group, point.requests, point.inputTokens])).toEqual([
      [at(1), 'gpt-4o-mini', 1, 100],
      [at(2), 'gpt-4o-mini', 1, 200],
      [at(3), 'gpt-4o', 1, 300],
    ]);
    expect(metrics.points[0]?.latencyMs).toMatchObject({ avg: 40 });
    // The hour from the rollups and the same hour from minutes agree on everything they both say.
    const hourly = metricsResponseSchema.parse(await get(`/api/metrics?${hour}&bucket=hour`));
    const byMinute = metricsResponseSchema.parse(await get(`/api/metrics?${hour}&bucket=minute`));
    expect(byMinute.totals).toEqual(hourly.totals);
  });

  it('counts errors by the minute, and keys as the rollups name them', async () => {
    const span = `from=${encodeURIComponent(at(60))}&to=${encodeURIComponent(at(120))}`;
    const metrics = metricsResponseSchema.parse(await get(`/api/metrics?${span}&bucket=minute&groupBy=key`));
    expect(metrics.points).toMatchObject([
      { time: at(64), group: keyId, requests: 1, errors: 1 },
      { time: at(70), group: keyId, requests: 1, errors: 0 },
    ]);
  });

  it('keeps minute buckets to six hours, saying which bucket to use instead', async () => {
    const sixHours = `from=${encodeURIComponent(at(0))}&to=${encodeURIComponent(at(360))}`;
    expect((await owner.request('GET', `/api/metrics?${sixHours}&bucket=minute`)).statusCode).toBe(200);
    const refused = await owner.request('GET', `/api/metrics?${range}&bucket=minute`);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.message).toMatch(/^bucket: minute buckets cover at most 6 hours; use hour or day/);
  });

  it('refuses a range that ends before it starts', async () => {
    const response = await owner.request(
      'GET',
      `/api/metrics?from=${encodeURIComponent(at(10))}&to=${encodeURIComponent(at(0))}`,
    );
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toMatch(/from/);
  });
});
