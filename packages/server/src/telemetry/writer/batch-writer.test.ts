import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackends, type TestBackends } from '../../../test/backend.js';
import { ManualClock } from '../../../test/test-app.js';
import { createOrg } from '../../auth/orgs.js';
import { openDatabase } from '../../db/client.js';
import { observations, usageRollups } from '../../db/telemetry-schema.js';
import type { ObservationRecord } from '../records.js';
import { BatchWriter } from './batch-writer.js';

let backends: TestBackends;
let orgId: string;
const quiet = { warn: () => {}, error: () => {} };

beforeAll(async () => {
  backends = await createTestBackends({ clock: new ManualClock() });
  orgId = (await createOrg(backends.database.db, { name: 'Writer', plan: 'free' })).id;
});
afterAll(() => backends?.close());

const generation = (id: string, overrides: Partial<ObservationRecord> = {}): ObservationRecord => ({
  orgId,
  id,
  traceId: `trace-${id}`,
  type: 'generation',
  provider: 'mock',
  model: 'mock/echo',
  startTime: new Date('2026-11-22T10:15:00Z'),
  latencyMs: 120,
  inputTokens: 10,
  outputTokens: 4,
  cachedInputTokens: 0,
  costUsd: 0.001,
  status: 'success',
  ...overrides,
});

describe('BatchWriter', () => {
  it('stores a record sent twice once, and counts it once in the rollups', async () => {
    const writer = new BatchWriter({ db: backends.database.db, log: quiet });
    const record = generation('dup-1');
    writer.enqueue({ trace: { orgId, id: record.traceId, startTime: record.startTime }, observation: record });
    await writer.flush();
    writer.enqueue({ trace: { orgId, id: record.traceId, startTime: record.startTime }, observation: record });
    writer.enqueue({ observation: record });
    await writer.stop();
    expect(await backends.database.db.select().from(observations).where(eq(observations.id, 'dup-1'))).toHaveLength(1);
    const [rollup] = await backends.database.db
      .select()
      .from(usageRollups)
      .where(and(eq(usageRollups.orgId, orgId), eq(usageRollups.bucketStart, new Date('2026-11-22T10:00:00Z'))));
    expect(rollup).toMatchObject({ requests: 1, inputTokens: 10, outputTokens: 4 });
    expect(rollup?.bucketStart.toISOString()).toBe('2026-11-22T10:00:00.000Z');
  });

  it('adds to an existing rollup, histogram bucket by bucket', async () => {
    const writer = new BatchWriter({ db: backends.database.db, log: quiet });
    // An hour of its own, written in two batches: the second adds to the row the first made.
    const startTime = new Date('2026-11-22T11:30:00Z');
    writer.enqueue({ observation: generation('add-1', { startTime, latencyMs: 3 }) });
    await writer.flush();
    writer.enqueue({ observation: generation('add-2', { startTime, latencyMs: 120 }) });
    writer.enqueue({ observation: generation('add-3', { startTime, latencyMs: 90_000, status: 'error' }) });
    await writer.stop();
    const [rollup] = await backends.database.db
      .select()
      .from(usageRollups)
      .where(and(eq(usageRollups.orgId, orgId), eq(usageRollups.bucketStart, new Date('2026-11-22T11:00:00Z'))));
    expect(rollup).toMatchObject({ requests: 3, errors: 1, inputTokens: 30 });
    // Buckets: ≤5 ms (add-1), ≤250 ms (add-2), above 60 s (add-3).
    expect(rollup?.latencyHistogram).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
  });

  it('keeps its records when the database refuses, and bounds what it keeps', async () => {
    const gone = await openDatabase({ url: backends.databaseUrl });
    await gone.close();
    const writer = new BatchWriter({ db: gone.db, log: quiet, maxBuffered: 3 });
    for (const id of ['k1', 'k2', 'k3']) writer.enqueue({ observation: generation(id) });
    await expect(writer.flush()).rejects.toThrow();
    expect(writer.buffered).toBe(3);
    writer.enqueue({ observation: generation('k4') });
    expect(writer.buffered).toBe(3);
    expect(writer.dropped).toBe(1);
  });

  it('sets aside a record the database refuses and writes the ones around it', async () => {
    const errors: unknown[] = [];
    const writer = new BatchWriter({
      db: backends.database.db,
      log: { warn: () => {}, error: (...args: unknown[]) => errors.push(args) },
    });
    const ids = ['p1', 'p2', 'p3', 'p4', 'p5'];
    // 2^40 attempts does not fit the integer column: Postgres refuses that one row, on every retry.
    for (const id of ids) writer.enqueue({ observation: generation(id, id === 'p4' ? { attempts: 2 ** 40 } : {}) });
    await writer.flush();
    const stored = await backends.database.db
      .select({ id: observations.id })
      .from(observations)
      .where(and(eq(observations.orgId, orgId)));
    const storedIds = stored.map((row) => row.id).filter((id) => id.startsWith('p'));
    expect(storedIds.sort()).toEqual(['p1', 'p2', 'p3', 'p5']);
    expect(writer.rejected).toBe(1);
    expect(writer.buffered).toBe(0);
    expect(errors).toHaveLength(1);
  });
});
