import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { prepareOrg } from './admin-client.js';
import { countStored } from './database-counts.js';
import { startFaultStack } from './fault-stack.js';
import { recordFaultRow } from './fault-table.js';
import { chatCall, countStatuses, startCallLoop } from './gateway-calls.js';
import { startIngestLoad } from './ingest-load.js';
import { readiness } from './readiness.js';
import { waitFor } from './wait-for.js';

const OUTAGE_MS = 10_000;
const MIB = 1024 * 1024;

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe('Postgres stopped for 10 s under ingest load', () => {
  it('acknowledges nothing it cannot keep, answers 503 meanwhile, and writes the gateway records after recovery', async () => {
    const { postgres, server, admin } = await startFaultStack(cleanups);
    const { orgId } = await prepareOrg(admin);
    // The key is resolved once while the database is up, as it would be in a running deployment.
    expect((await chatCall({ url: server.url, apiKey: admin.adminKey, model: 'mock/echo' })).status).toBe(200);
    const rssBefore = server.rssBytes();

    const prefix = 'pg-outage';
    const load = startIngestLoad({ url: server.url, apiKey: admin.adminKey, prefix, workers: 3, unitsPerBatch: 25 });
    await waitFor('ingest under way', () => load.acknowledgedSoFar() >= 1_000);

    await postgres.stop();
    const stoppedAt = Date.now();
    const calls = startCallLoop({ url: server.url, apiKey: admin.adminKey, model: 'mock/echo', pauseMs: 100 });
    await waitFor('/ready to report the database down', async () => {
      const ready = await readiness(server.url);
      return ready.status === 503 && ready.body.checks?.database?.status === 'error';
    });
    // What else a user sees meanwhile: a clean error from the query API, and a live process.
    const tracesDuringOutage = await admin.request('GET', '/api/traces?limit=5');
    const healthDuringOutage = await fetch(`${server.url}/health`);
    const acknowledgedAtStop = load.acknowledgedSoFar();
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - stoppedAt)));
    const acknowledgedDuringOutage = load.acknowledgedSoFar() - acknowledgedAtStop;
    const outageCalls = await calls.finish();
    const rssDuringOutage = server.rssBytes();
    await postgres.start();

    await waitFor('/ready to recover', async () => (await readiness(server.url)).status === 200);
    const acknowledgedAtRecovery = load.acknowledgedSoFar();
    await waitFor('ingest to resume', () => load.acknowledgedSoFar() >= acknowledgedAtRecovery + 1_000);
    const totals = await load.finish();
    const rssAfter = server.rssBytes();

    // The gateway's records of the outage's calls: buffered, then written once Postgres is back.
    const answered = outageCalls.filter((call) => call.status === 200 && call.requestId);
    const answeredIds = answered.map((call) => call.requestId as string);
    let recorded = 0;
    await waitFor(
      'the outage calls to be recorded',
      async () => {
        const [row] = await postgres.query<{ count: string }>(
          'select count(*) as count from observations where org_id = $1 and id = any($2::text[])',
          [orgId, answeredIds],
        );
        recorded = Number(row?.count ?? 0);
        return recorded === answeredIds.length;
      },
      60_000,
    ).catch(() => {});

    const stored = await countStored({
      query: (text, values) => postgres.query(text, values),
      orgId,
      prefix,
      acknowledged: totals.acknowledged,
    });
    const memory = `RSS ${Math.round(rssBefore / MIB)} → ${Math.round(rssDuringOutage / MIB)} (outage) → ${Math.round(rssAfter / MIB)} MiB`;
    recordFaultRow({
      case: 'Postgres down 10 s: ingest',
      sent: totals.sent,
      acknowledged: totals.acknowledged.length,
      found: stored.found,
      notes: `answers ${JSON.stringify(totals.answers)}; ${acknowledgedDuringOutage} acked while down; ${totals.resends} resent; ${memory}`,
    });
    recordFaultRow({
      case: 'Postgres down 10 s: gateway calls',
      sent: outageCalls.length,
      acknowledged: answered.length,
      found: recorded,
      notes: `answers ${JSON.stringify(countStatuses(outageCalls))}; GET /api/traces meanwhile: ${tracesDuringOutage.status}`,
    });

    expect(healthDuringOutage.status).toBe(200);
    // Nothing half-done: a request the database could not take is a 503 the client resends, never a 500.
    expect(Object.keys(totals.answers).sort()).toEqual(['207', '503']);
    expect(totals.rejected).toEqual([]);
    expect(totals.undelivered).toBe(0);
    expect(stored.found).toBe(totals.acknowledged.length);
    expect(totals.acknowledged.length).toBe(totals.sent);
    expect(stored.rolledUp).toBe(stored.storedGenerations);
    // The gateway keeps answering on its cached key and its buffer…
    expect(outageCalls.length).toBeGreaterThan(0);
    expect(outageCalls.filter((call) => call.status !== 200)).toEqual([]);
    // …and every call it answered is recorded after recovery.
    expect(recorded).toBe(answeredIds.length);
    expect(tracesDuringOutage.status).toBe(503);
    expect(server.child.exitCode).toBeNull();
    // Bounded memory: a guard against a leak or an unbounded buffer, not a measurement.
    expect(rssAfter).toBeLessThan(1024 * MIB);
  });
});
