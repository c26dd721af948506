import { randomUUID } from 'node:crypto';
import type { IngestEvent } from '@switchyard/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackends, type TestBackends } from '../../../test/backend.js';
import { ManualClock } from '../../../test/test-app.js';
import { createOrg } from '../../auth/orgs.js';
import { observations, traces, usageRollups } from '../../db/telemetry-schema.js';
import { IngestWriter } from './ingest-writer.js';

let backends: TestBackends;
let orgId: string;
const quiet = { warn: () => {} };

beforeAll(async () => {
  backends = await createTestBackends({ clock: new ManualClock() });
  orgId = (await createOrg(backends.database.db, { name: 'Ingest writer', plan: 'free' })).id;
});
afterAll(() => backends?.close());

/** A writer that commits each request alone, several at once: two requests race as two replicas would. */
function racingWriter() {
  return new IngestWriter({
    db: backends.database.db,
    prices: { forOrg: async () => [] },
    log: quiet,
    maxEventsPerCommit: 1,
    concurrency: 4,
    copy: backends.database.kind === 'postgres',
  });
}

const at = '2026-11-22T10:15:00.000Z';
const traceCreate = (body: Record<string, unknown>): IngestEvent =>
  ({ id: randomUUID(), type: 'trace-create', timestamp: at, body }) as IngestEvent;
const generationCreate = (body: Record<string, unknown>): IngestEvent =>
  ({
    id: randomUUID(),
    type: 'observation-create',
    timestamp: at,
    body: { type: 'generation', model: 'openai/gpt-4o-mini', startTime: at, endTime: at, ...body },
  }) as IngestEvent;

describe('IngestWriter', () => {
  it('merges creates of one trace sent at once in separate requests, and counts each generation once', async () => {
    const writer = racingWriter();
    const traceId = randomUUID();
    const model = `race-${randomUUID()}`;
    // Each request creates the same trace with one field; every one is written in its own transaction.
    const requests = ['name', 'userId', 'sessionId', 'tags'].map((field, index) =>
      writer.write({
        orgId,
        apiKeyId: null,
        source: 'ingest',
        events: [
          traceCreate({ id: traceId, [field]: field === 'tags' ? ['t'] : `${field}-value` }),
          generationCreate({ id: `${traceId}-${index}`, traceId, model, usage: { inputTokens: 10, outputTokens: 1 } }),
        ],
      }),
    );
    const statuses = await Promise.all(requests);
    expect(statuses).toEqual([
      [201, 201],
      [201, 201],
      [201, 201],
      [201, 201],
    ]);
    await writer.stop();

    const db = backends.database.db;
    const stored = await db
      .select()
      .from(traces)
      .where(and(eq(traces.orgId, orgId), eq(traces.id, traceId)));
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      name: 'name-value',
      userId: 'userId-value',
      sessionId: 'sessionId-value',
      tags: ['t'],
    });
    const generations = await db
      .select()
      .from(observations)
      .where(and(eq(observations.orgId, orgId), eq(observations.traceId, traceId)));
    expect(generations).toHaveLength(4);
    const rollups = await db
      .select()
      .from(usageRollups)
      .where(and(eq(usageRollups.orgId, orgId), eq(usageRollups.model, model)));
    expect(rollups.reduce((sum, row) => sum + row.requests, 0)).toBe(4);
    expect(rollups.reduce((sum, row) => sum + row.inputTokens, 0)).toBe(40);
  });
});
