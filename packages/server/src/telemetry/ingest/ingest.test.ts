import { randomUUID } from 'node:crypto';
import { ingestResponseSchema, openAiErrorSchema } from '@switchyard/shared';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createKey,
  createTestApp,
  type SessionClient,
  setPlan,
  signUp,
  type TestContext,
} from '../../../test/test-app.js';
import { observations, scores, traces, usageRollups } from '../../db/telemetry-schema.js';
import { ENVELOPE_RETENTION_MS, pruneIngestState } from './ingest-retention.js';

let context: TestContext;
let owner: SessionClient;
let orgId: string;
let secret: string;

beforeAll(async () => {
  context = await createTestApp();
  const signedUp = await signUp(context.app);
  owner = signedUp.client;
  orgId = signedUp.orgId;
  await setPlan(context.app, orgId, 'enterprise');
  ({ secret } = await createKey(owner, { scopes: ['ingest'] }));
});
afterAll(async () => context?.close());

const db = () => context.backends.database.db;
const now = () => new Date().toISOString();

function ingest(batch: unknown[], key = secret) {
  return context.app.inject({
    method: 'POST',
    url: '/v1/ingest',
    headers: { authorization: `Bearer ${key}` },
    payload: { batch },
  });
}

const envelope = (type: string, body: Record<string, unknown>) => ({ id: randomUUID(), type, timestamp: now(), body });

async function observation(id: string) {
  const [row] = await db()
    .select()
    .from(observations)
    .where(and(eq(observations.orgId, orgId), eq(observations.id, id)));
  return row;
}

async function rollupFor(model: string) {
  return db()
    .select()
    .from(usageRollups)
    .where(and(eq(usageRollups.orgId, orgId), eq(usageRollups.model, model)));
}

describe('POST /v1/ingest', () => {
  it('stores a trace, its generation (costed from the price table) and a score, and answers once committed', async () => {
    const traceId = randomUUID();
    const generationId = randomUUID();
    const start = new Date(Date.now() - 1_500);
    const batch = [
      envelope('trace-create', {
        id: traceId,
        name: 'support-agent',
        sessionId: 'session-1',
        userId: 'ada',
        tags: ['beta'],
      }),
      envelope('observation-create', {
        id: generationId,
        traceId,
        type: 'generation',
        name: 'answer',
        provider: 'openai',
        model: 'gpt-4o-mini',
        startTime: start.toISOString(),
        completionStartTime: new Date(start.getTime() + 300).toISOString(),
        endTime: new Date(start.getTime() + 1_200).toISOString(),
        usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
        input: [{ role: 'user', content: 'Where is my order?' }],
        output: { role: 'assistant', content: 'On its way.' },
      }),
      envelope('score-create', { id: randomUUID(), traceId, name: 'helpful', value: 1, comment: 'thumbs up' }),
    ];
    const response = await ingest(batch);
    expect(response.statusCode).toBe(207);
    const body = ingestResponseSchema.parse(response.json());
    expect(body.errors).toEqual([]);
    expect(body.successes).toEqual(batch.map((event) => ({ id: event.id, status: 201 })));

    // Answered means committed: read straight away, no flush.
    const [trace] = await db()
      .select()
      .from(traces)
      .where(and(eq(traces.orgId, orgId), eq(traces.id, traceId)));
    expect(trace).toMatchObject({ name: 'support-agent', sessionId: 'session-1', userId: 'ada', tags: ['beta'] });
    expect(await observation(generationId)).toMatchObject({
      type: 'generation',
      model: 'gpt-4o-mini',
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      // gpt-4o-mini: $0.15 in + $0.60 out per million tokens
      costUsd: 0.75,
      latencyMs: 1_200,
      ttftMs: 300,
      source: 'ingest',
      output: { role: 'assistant', content: 'On its way.' },
    });
    const scoreRows = await db().select().from(scores).where(eq(scores.traceId, traceId));
    expect(scoreRows).toMatchObject([{ name: 'helpful', value: 1, comment: 'thumbs up', orgId }]);
    expect(await rollupFor('gpt-4o-mini')).toMatchObject([
      { requests: 1, inputTokens: 1_000_000, costUsd: 0.75, source: 'ingest' },
    ]);
  });

  it('applies a resent batch once: same answers with status 200, no second row, rollups unchanged', async () => {
    const traceId = randomUUID();
    const batch = [
      envelope('observation-create', {
        id: randomUUID(),
        traceId,
        type: 'generation',
        model: 'openai/retry-model',
        startTime: now(),
        usage: { inputTokens: 7, outputTokens: 3 },
      }),
    ];
    expect(ingestResponseSchema.parse((await ingest(batch)).json()).successes[0]?.status).toBe(201);
    const again = ingestResponseSchema.parse((await ingest(batch)).json());
    expect(again.successes).toEqual([{ id: batch[0]?.id, status: 200 }]);
    expect(await rollupFor('openai/retry-model')).toMatchObject([{ requests: 1, inputTokens: 7, outputTokens: 3 }]);
    // The observation created the trace it names.
    const traceRows = await db()
      .select()
      .from(traces)
      .where(and(eq(traces.orgId, orgId), eq(traces.id, traceId)));
    expect(traceRows).toHaveLength(1);
  });

  it('keeps the valid events beside invalid ones and names what is wrong with each', async () => {
    const good = envelope('observation-create', {
      id: randomUUID(),
      traceId: randomUUID(),
      type: 'span',
      startTime: now(),
    });
    const noStart = envelope('observation-create', { id: randomUUID(), traceId: randomUUID(), type: 'span' });
    const badType = envelope('observation-create', {
      id: randomUUID(),
      traceId: randomUUID(),
      type: 'banana',
      startTime: now(),
    });
    const unknownEvent = { id: 'evt-unknown', type: 'trace-delete', timestamp: now(), body: {} };
    const response = await ingest([noStart, good, badType, unknownEvent, 42]);
    expect(response.statusCode).toBe(207);
    const body = ingestResponseSchema.parse(response.json());
    expect(body.successes).toEqual([{ id: good.id, status: 201 }]);
    expect(body.errors.map((error) => [error.id, error.status])).toEqual([
      [noStart.id, 400],
      [badType.id, 400],
      ['evt-unknown', 400],
      ['batch[4]', 400],
    ]);
    expect(body.errors[0]?.message).toMatch(/body\.startTime/);
    expect(body.errors[1]?.message).toMatch(/body\.type/);
    expect(body.errors[2]?.message).toMatch(/type/);
    expect(await observation(good.body.id as string)).toBeDefined();
    expect(await observation(noStart.body.id as string)).toBeUndefined();
  });

  it('merges an update that arrives before its create, and moves rollups when an update changes usage', async () => {
    const id = randomUUID();
    const traceId = randomUUID();
    const start = new Date(Date.now() - 5_000);
    const early = envelope('observation-update', {
      id,
      endTime: new Date(start.getTime() + 2_000).toISOString(),
      usage: { inputTokens: 40, outputTokens: 2 },
      output: 'early output',
    });
    expect(ingestResponseSchema.parse((await ingest([early])).json()).successes).toEqual([
      { id: early.id, status: 201 },
    ]);
    expect(await observation(id)).toBeUndefined();

    const create = envelope('observation-create', {
      id,
      traceId,
      type: 'generation',
      model: 'openai/merge-model',
      startTime: start.toISOString(),
      usage: { inputTokens: 10 },
    });
    await ingest([create, envelope('trace-create', { id: traceId, name: 'merged-trace' })]);
    expect(await observation(id)).toMatchObject({
      inputTokens: 40,
      outputTokens: 2,
      latencyMs: 2_000,
      output: 'early output',
      traceId,
    });
    expect(await rollupFor('openai/merge-model')).toMatchObject([{ requests: 1, inputTokens: 40, outputTokens: 2 }]);

    const late = await ingest([
      envelope('observation-update', { id, usage: { inputTokens: 100 }, status: 'error', statusMessage: 'boom' }),
    ]);
    expect(ingestResponseSchema.parse(late.json()).successes).toMatchObject([{ status: 201 }]);
    expect(await observation(id)).toMatchObject({ inputTokens: 100, status: 'error', error: 'boom' });
    expect(await rollupFor('openai/merge-model')).toMatchObject([{ requests: 1, errors: 1, inputTokens: 100 }]);
    // An update that does not name the trace leaves the trace as it was.
    const [trace] = await db()
      .select()
      .from(traces)
      .where(and(eq(traces.orgId, orgId), eq(traces.id, traceId)));
    expect(trace?.name).toBe('merged-trace');
  });

  it('refuses a batch over 1000 events and a body over 5 MB with 413 naming the limit', async () => {
    const many = Array.from({ length: 1_001 }, () => envelope('trace-create', { id: randomUUID() }));
    const tooMany = await ingest(many);
    expect(tooMany.statusCode).toBe(413);
    expect(openAiErrorSchema.parse(tooMany.json()).error.message).toMatch(/1001 events is over the limit of 1000/);

    const huge = await ingest([envelope('trace-create', { id: randomUUID(), input: 'x'.repeat(5 * 1024 * 1024) })]);
    expect(huge.statusCode).toBe(413);
    expect(openAiErrorSchema.parse(huge.json()).error.message).toMatch(/5 MB limit/);
  });

  it('refuses an event over 1 MB on its own and keeps its neighbours', async () => {
    const big = envelope('trace-create', { id: randomUUID(), input: 'y'.repeat(1024 * 1024 + 10) });
    const small = envelope('trace-create', { id: randomUUID(), name: 'small' });
    const body = ingestResponseSchema.parse((await ingest([big, small])).json());
    expect(body.errors).toEqual([{ id: big.id, status: 413, message: expect.stringMatching(/1 MB limit/) }]);
    expect(body.successes).toEqual([{ id: small.id, status: 201 }]);
  });

  it('stores text with NUL characters instead of failing the batch', async () => {
    const id = randomUUID();
    const response = await ingest([
      envelope('trace-create', { id, name: 'nul\u0000name', input: { text: 'a\u0000b' } }),
    ]);
    expect(ingestResponseSchema.parse(response.json()).successes).toEqual([{ id: expect.any(String), status: 201 }]);
    const [trace] = await db()
      .select()
      .from(traces)
      .where(and(eq(traces.orgId, orgId), eq(traces.id, id)));
    expect(trace?.name).toBe('nul\ufffdname');
    expect(trace?.input).toEqual({ text: 'a\ufffdb' });
  });

  it('keeps tabs, newlines, backslashes, quotes and unpaired surrogates in every kind of column', async () => {
    // On a Postgres server new rows go in with COPY, whose text format escapes these; on PGlite as JSON.
    const traceId = randomUUID();
    const generationId = randomUUID();
    const awkward = 'tab\there\nnew line\r\\n not a newline \\N not null "quoted" {braces},comma';
    const response = await ingest([
      envelope('trace-create', {
        id: traceId,
        name: awkward,
        userId: 'user\\1',
        tags: ['a,b', 'c"d', '{e}', 'back\\slash', 'NULL', ''],
        metadata: { note: awkward, lone: 'x\ud800y' },
        input: awkward,
      }),
      envelope('observation-create', {
        id: generationId,
        traceId,
        type: 'generation',
        model: 'openai/gpt-4o-mini',
        startTime: '2026-01-02T03:04:05.678Z',
        endTime: '2026-01-02T03:04:06.000Z',
        usage: { inputTokens: 3, outputTokens: 4 },
        input: [{ role: 'user', content: awkward }],
        output: { role: 'assistant', content: 'done\t' },
        statusMessage: awkward,
      }),
    ]);
    expect(ingestResponseSchema.parse(response.json()).successes).toHaveLength(2);
    const [trace] = await db()
      .select()
      .from(traces)
      .where(and(eq(traces.orgId, orgId), eq(traces.id, traceId)));
    expect(trace).toMatchObject({
      name: awkward,
      userId: 'user\\1',
      tags: ['a,b', 'c"d', '{e}', 'back\\slash', 'NULL', ''],
      metadata: { note: awkward, lone: 'x\ufffdy' },
      input: awkward,
    });
    expect(await observation(generationId)).toMatchObject({
      traceId,
      startTime: new Date('2026-01-02T03:04:05.678Z'),
      latencyMs: 322,
      inputTokens: 3,
      input: [{ role: 'user', content: awkward }],
      output: { role: 'assistant', content: 'done\t' },
      error: awkward,
      costUsd: expect.any(Number),
    });
  });

  it('needs an API key with the ingest scope', async () => {
    const none = await context.app.inject({ method: 'POST', url: '/v1/ingest', payload: { batch: [] } });
    expect(none.statusCode).toBe(401);
    const { secret: gatewayOnly } = await createKey(owner, { scopes: ['gateway'] });
    const refused = await ingest([], gatewayOnly);
    expect(refused.statusCode).toBe(403);
    expect(openAiErrorSchema.parse(refused.json()).error.message).toMatch(/ingest/);
  });

  it('writes concurrent requests together (group commit) and answers each', async () => {
    const writer = context.app.services.ingestWriter;
    const commitsBefore = writer.commits;
    const batches = Array.from({ length: 30 }, () => [
      envelope('trace-create', { id: randomUUID(), name: 'concurrent' }),
    ]);
    const responses = await Promise.all(batches.map((batch) => ingest(batch)));
    for (const response of responses)
      expect(ingestResponseSchema.parse(response.json()).successes[0]?.status).toBe(201);
    expect(writer.commits - commitsBefore).toBeLessThan(30);
  });
});

describe('ingest limits per org', () => {
  it('answers 429 with retry-after over the plan’s events per minute, and stores none of that request', async () => {
    const other = await signUp(context.app);
    await other.client.request('PATCH', '/api/org', { limits: { ingestEventsPerMinute: 3 } });
    const { secret: otherKey } = await createKey(other.client, { scopes: ['ingest'] });
    const first = await ingest(
      [envelope('trace-create', { id: randomUUID() }), envelope('trace-create', { id: randomUUID() })],
      otherKey,
    );
    expect(first.statusCode).toBe(207);
    const overId = randomUUID();
    const over = await ingest(
      [envelope('trace-create', { id: overId }), envelope('trace-create', { id: randomUUID() })],
      otherKey,
    );
    expect(over.statusCode).toBe(429);
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(openAiErrorSchema.parse(over.json()).error.message).toMatch(/3 telemetry events per minute/);
    const stored = await db()
      .select()
      .from(traces)
      .where(and(eq(traces.orgId, other.orgId), eq(traces.id, overId)));
    expect(stored).toEqual([]);
    // What was refused did not use up the minute: one more event still fits.
    expect((await ingest([envelope('trace-create', { id: randomUUID() })], otherKey)).statusCode).toBe(207);
  });
});

describe('envelope retention', () => {
  it('forgets envelope ids and orphaned updates after 7 days, so the same ids apply again', async () => {
    const update = envelope('observation-update', { id: randomUUID(), output: 'never created' });
    const trace = envelope('trace-create', { id: randomUUID(), name: 'old' });
    await ingest([update, trace]);
    const later = Date.now() + ENVELOPE_RETENTION_MS + 60_000;
    const pruned = await pruneIngestState(db(), later);
    expect(pruned.envelopes).toBeGreaterThanOrEqual(2);
    expect(pruned.pending).toBeGreaterThanOrEqual(1);
    // The trace is still there; its envelope is forgotten, so resending it applies it again (201).
    const again = ingestResponseSchema.parse((await ingest([trace])).json());
    expect(again.successes).toEqual([{ id: trace.id, status: 201 }]);
  });
});
