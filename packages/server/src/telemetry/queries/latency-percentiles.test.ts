import { randomUUID } from 'node:crypto';
import { type MetricsResponse, metricsResponseSchema } from '@switchyard/shared';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKey,
  createTestApp,
  type SessionClient,
  setPlan,
  signUp,
  type TestContext,
} from '../../../test/test-app.js';
import { usageRollups, usageRollupsDaily } from '../../db/telemetry-schema.js';

/** p50/p95/p99 on /api/metrics, as the dashboard's latency numbers read them, for calls of known latency. */
let context: TestContext;

beforeAll(async () => {
  context = await createTestApp();
});
afterAll(async () => context?.close());

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;
// A whole UTC day two days back: its hours and its day bucket hold only what a test puts there.
const DAY = Math.floor(Date.now() / DAY_MS) * DAY_MS - 2 * DAY_MS;
const at = (hour: number, minute = 0) => DAY + hour * HOUR_MS + minute * 60_000;

/** A fresh org with an ingest key, so each test reads only its own calls. */
async function freshOrg(): Promise<{ owner: SessionClient; orgId: string; record: (calls: Call[]) => Promise<void> }> {
  const { client: owner, orgId } = await signUp(context.app);
  await setPlan(context.app, orgId, 'enterprise');
  const { secret } = await createKey(owner, { scopes: ['ingest'] });
  const record = async (calls: Call[]) => {
    const response = await context.app.inject({
      method: 'POST',
      url: '/v1/ingest',
      headers: { authorization: `Bearer ${secret}` },
      payload: {
        batch: calls.map(({ startedAt, latencyMs }) => ({
          id: randomUUID(),
          type: 'observation-create',
          timestamp: new Date(startedAt).toISOString(),
          body: {
            id: randomUUID(),
            traceId: randomUUID(),
            type: 'generation',
            provider: 'openai',
            model: 'latency-test',
            startTime: new Date(startedAt).toISOString(),
            endTime: new Date(startedAt + latencyMs).toISOString(),
            usage: { inputTokens: 1, outputTokens: 1 },
          },
        })),
      },
    });
    expect(response.statusCode, response.body).toBe(207);
    expect(response.json().errors).toEqual([]);
  };
  return { owner, orgId, record };
}

type Call = { startedAt: number; latencyMs: number };

async function metrics(owner: SessionClient, query: { from: number; to: number; bucket: string }) {
  const search = new URLSearchParams({
    from: new Date(query.from).toISOString(),
    to: new Date(query.to).toISOString(),
    bucket: query.bucket,
  });
  const response = await owner.request('GET', `/api/metrics?${search}`);
  expect(response.statusCode, response.body).toBe(200);
  return metricsResponseSchema.parse(response.json());
}

/** The day read by the hour, by the day, and (for the hours 9 to 15) by the minute. */
async function everyBucket(owner: SessionClient): Promise<Record<string, MetricsResponse>> {
  return {
    hour: await metrics(owner, { from: DAY, to: DAY + DAY_MS, bucket: 'hour' }),
    day: await metrics(owner, { from: DAY, to: DAY + DAY_MS, bucket: 'day' }),
    minute: await metrics(owner, { from: at(9), to: at(15), bucket: 'minute' }),
  };
}

describe('latency percentiles on /api/metrics', () => {
  it('read one 1,200 ms call as 1,200 ms at p50, p95 and p99, by the hour, day and minute', async () => {
    const { owner, record } = await freshOrg();
    await record([{ startedAt: at(10, 5), latencyMs: 1_200 }]);
    for (const [bucket, read] of Object.entries(await everyBucket(owner))) {
      expect({ bucket, ...read.totals.latencyMs }).toEqual({ bucket, avg: 1_200, p50: 1_200, p95: 1_200, p99: 1_200 });
      expect(read.points.map((point) => point.latencyMs.p50)).toEqual([1_200]);
    }
  });

  it('interpolate between the fastest and slowest call, across writes, hours and the day', async () => {
    const { owner, record } = await freshOrg();
    // Two writes into one hourly row (merged by the upsert), and a third call an hour later.
    await record([{ startedAt: at(10, 5), latencyMs: 1_300 }]);
    await record([{ startedAt: at(10, 20), latencyMs: 1_200 }]);
    await record([{ startedAt: at(11, 30), latencyMs: 2_000 }]);
    for (const [bucket, read] of Object.entries(await everyBucket(owner))) {
      const { p50, p95, p99 } = read.totals.latencyMs;
      // All three lie in the (1,000, 2,500] bucket: its reading runs from 1,200 to 2,000, not 1,000 to 2,500.
      expect({ bucket, p50, p95, p99 }).toEqual({
        bucket,
        p50: expect.closeTo(1_600, 6),
        p95: expect.closeTo(1_960, 6),
        p99: expect.closeTo(1_992, 6),
      });
    }
    const hours = (await metrics(owner, { from: DAY, to: DAY + DAY_MS, bucket: 'hour' })).points;
    expect(hours.map((point) => [point.latencyMs.p50, point.latencyMs.p99])).toEqual([
      [expect.closeTo(1_250, 6), expect.closeTo(1_299, 6)],
      [2_000, 2_000],
    ]);
  });

  it('never read outside the fastest and slowest call, whatever buckets the calls span', async () => {
    const { owner, record } = await freshOrg();
    const latencies = [30, 40, 45, 400, 700, 4_000, 90_000];
    await record(latencies.map((latencyMs, index) => ({ startedAt: at(12, index), latencyMs })));
    for (const read of Object.values(await everyBucket(owner))) {
      const { p50, p95, p99 } = read.totals.latencyMs;
      for (const value of [p50, p95, p99]) {
        expect(value).toBeGreaterThanOrEqual(30);
        expect(value).toBeLessThanOrEqual(90_000);
      }
      // The slowest call lies past the last bound (60 s): read up to it, not stopped at 60 s.
      expect(p99).toBeGreaterThan(60_000);
      expect(p50).toBe(375);
    }
  });

  it('fall back to the buckets for rollups written before the bounds were kept, and keep them unknown', async () => {
    const { owner, orgId, record } = await freshOrg();
    await record([{ startedAt: at(10, 5), latencyMs: 1_200 }]);
    // As the migration leaves rows written before it.
    const forget = { latencyMsMin: sql`null`, latencyMsMax: sql`null` };
    const db = context.backends.database.db;
    await db.update(usageRollups).set(forget).where(eq(usageRollups.orgId, orgId));
    await db.update(usageRollupsDaily).set(forget).where(eq(usageRollupsDaily.orgId, orgId));
    const before = await metrics(owner, { from: DAY, to: DAY + DAY_MS, bucket: 'hour' });
    expect(before.totals.latencyMs).toMatchObject({ p50: 1_750, p99: 2_485 });

    // A faster call added to such a row must not narrow it to itself: the 1,200 ms call is still there.
    await record([{ startedAt: at(10, 30), latencyMs: 1_100 }]);
    const read = await everyBucket(owner);
    for (const bucket of ['hour', 'day'] as const) {
      expect({ bucket, p50: read[bucket]?.totals.latencyMs.p50 }).toEqual({ bucket, p50: 1_750 });
      expect(read[bucket]?.totals.latencyMs.p99).toBeGreaterThan(1_200);
    }
    // Minutes are counted from the calls themselves, which know their latency.
    expect(read.minute?.totals.latencyMs).toMatchObject({ p50: 1_150, p99: expect.closeTo(1_199, 6) });
  });
});
