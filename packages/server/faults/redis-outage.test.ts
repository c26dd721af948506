import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import { createKey, prepareOrg } from './admin-client.js';
import { startFaultStack } from './fault-stack.js';
import { recordFaultRow } from './fault-table.js';
import { type CallOutcome, chatCall, countStatuses } from './gateway-calls.js';
import { metricValue, scrapeMetrics } from './prometheus-text.js';
import { readiness } from './readiness.js';
import type { RedisInstance } from './redis-instance.js';
import { waitFor } from './wait-for.js';

const KEY_REQUESTS_PER_MINUTE = 20;

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function login(url: string, email: string, password: string): Promise<number> {
  const response = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  return response.status;
}

async function ingestOne(url: string, apiKey: string, id: string): Promise<number> {
  const now = new Date().toISOString();
  const response = await fetch(`${url}/v1/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ batch: [{ id, type: 'trace-create', timestamp: now, body: { id } }] }),
    signal: AbortSignal.timeout(30_000),
  });
  await response.arrayBuffer();
  return response.status;
}

describe('Redis stopped and restarted while serving', () => {
  it('keeps answering (limits fail open, counted), reports it on /ready, and recovers without a restart', async () => {
    const stack = await startFaultStack(cleanups);
    const { postgres, server, admin } = stack;
    const redis = stack.redis as RedisInstance;
    const { orgId } = await prepareOrg(admin);
    // The org's ingest limit is set so that its limiter runs (and must fail open too).
    await admin.expect(200, 'PATCH', '/api/org', { limits: { ingestEventsPerMinute: 1_000_000 } });
    const { email, password } = admin.login;
    const limitedKey = await createKey(admin, { name: 'limited', requestsPerMinute: KEY_REQUESTS_PER_MINUTE });
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: limitedKey, maxRetries: 0, timeout: 30_000 });
    const ask = () =>
      openai.chat.completions
        .create({ model: 'mock/echo', messages: [{ role: 'user', content: 'fault suite' }] })
        .withResponse();

    const before = await ask();
    expect(before.response.headers.get('x-ratelimit-limit-requests')).toBe(String(KEY_REQUESTS_PER_MINUTE));
    expect(await login(server.url, email, password)).toBe(200);
    const metricsBefore = await scrapeMetrics(server.url);
    const limiterErrorsBefore = metricValue(metricsBefore, 'switchyard_limiter_errors_total');
    const ingestLimiterErrorsBefore = metricValue(metricsBefore, 'switchyard_ingest_limiter_errors_total');

    await redis.stop();
    await waitFor('/ready to report Redis down', async () => {
      const ready = await readiness(server.url);
      return ready.status === 503 && ready.body.checks?.kv?.status === 'error';
    });
    const readyDuringOutage = await readiness(server.url);
    // More calls than the key may make in a minute: without Redis, the gateway admits them all.
    const outageCalls: CallOutcome[] = [];
    for (let index = 0; index < KEY_REQUESTS_PER_MINUTE + 10; index++) {
      outageCalls.push(await chatCall({ url: server.url, apiKey: limitedKey, model: 'mock/echo' }));
    }
    const cachedCall = await chatCall({
      url: server.url,
      apiKey: limitedKey,
      model: 'mock/echo',
      headers: { 'x-switchyard-cache': 'use' },
    });
    const ingestDuringOutage = await ingestOne(server.url, admin.adminKey, 'redis-outage-trace');
    const loginDuringOutage = await login(server.url, email, password);
    const metricsDuring = await scrapeMetrics(server.url);
    const limiterErrorsDuring = metricValue(metricsDuring, 'switchyard_limiter_errors_total');
    const ingestLimiterErrorsDuring = metricValue(metricsDuring, 'switchyard_ingest_limiter_errors_total');

    await redis.start();
    await waitFor('/ready to recover', async () => (await readiness(server.url)).status === 200, 60_000);
    // Limits hold again: more calls than a minute allows get 429 with retry-after.
    const afterCalls: CallOutcome[] = [];
    for (let index = 0; index < 2 * KEY_REQUESTS_PER_MINUTE + 5; index++) {
      afterCalls.push(await chatCall({ url: server.url, apiKey: limitedKey, model: 'mock/echo' }));
    }
    const loginAfter = await login(server.url, email, password);

    const answeredIds = outageCalls.flatMap((call) => (call.status === 200 && call.requestId ? [call.requestId] : []));
    let recorded = 0;
    await waitFor('the outage calls to be recorded', async () => {
      const [row] = await postgres.query<{ count: string }>(
        'select count(*) as count from observations where org_id = $1 and id = any($2::text[])',
        [orgId, answeredIds],
      );
      recorded = Number(row?.count ?? 0);
      return recorded === answeredIds.length;
    }).catch(() => {});

    recordFaultRow({
      case: 'Redis down: gateway calls over the key limit',
      sent: outageCalls.length,
      acknowledged: answeredIds.length,
      found: recorded,
      notes: `answers ${JSON.stringify(countStatuses(outageCalls))}; limiter errors +${limiterErrorsDuring - limiterErrorsBefore} (ingest +${ingestLimiterErrorsDuring - ingestLimiterErrorsBefore}); cached call ${cachedCall.status}; ingest ${ingestDuringOutage}; login ${loginDuringOutage}; /ready ${readyDuringOutage.status}`,
    });
    recordFaultRow({
      case: 'Redis restarted: limits enforced again',
      sent: afterCalls.length,
      acknowledged: afterCalls.filter((call) => call.status === 200 || call.status === 429).length,
      found: afterCalls.filter((call) => call.status === 200 || call.status === 429).length,
      notes: `answers ${JSON.stringify(countStatuses(afterCalls))}; login ${loginAfter}; no server restart`,
    });

    expect(readyDuringOutage.body.checks?.database?.status).toBe('ok');
    expect(outageCalls.map((call) => call.status)).toEqual(outageCalls.map(() => 200));
    expect(recorded).toBe(answeredIds.length);
    expect(cachedCall.status).toBe(200);
    expect(ingestDuringOutage).toBe(207);
    expect(limiterErrorsDuring).toBeGreaterThan(limiterErrorsBefore);
    expect(ingestLimiterErrorsDuring).toBeGreaterThan(ingestLimiterErrorsBefore);
    // Sign-in limits fail closed: a clean 503 to retry, never a 500.
    expect(loginDuringOutage).toBe(503);
    expect(afterCalls.filter((call) => call.status === 429).length).toBeGreaterThan(0);
    expect(afterCalls.filter((call) => call.status !== 200 && call.status !== 429)).toEqual([]);
    expect(loginAfter).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });
});
