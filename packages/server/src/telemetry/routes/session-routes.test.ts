import { randomUUID } from 'node:crypto';
import { pageSchema, sessionDetailSchema, sessionSummarySchema } from '@switchyard/shared';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayFixture, startGatewayFixture } from '../../../test/gateway-fixture.js';
import { createKey } from '../../../test/test-app.js';

let fixture: GatewayFixture;
let ingestSecret: string;

const sessionList = pageSchema(sessionSummarySchema);
const HOUR = Date.parse('2026-03-04T10:00:00.000Z');
const at = (seconds: number) => new Date(HOUR + seconds * 1_000).toISOString();

const envelope = (type: string, body: Record<string, unknown>) => ({
  id: randomUUID(),
  type,
  timestamp: new Date().toISOString(),
  body,
});

/** A trace of a session with one generation of `seconds` length and its cost given. */
function turn(options: {
  id: string;
  sessionId: string;
  userId?: string;
  start: number;
  seconds: number;
  costUsd: number;
  error?: boolean;
}) {
  return [
    envelope('trace-create', {
      id: options.id,
      name: 'turn',
      sessionId: options.sessionId,
      userId: options.userId,
      startTime: at(options.start),
      input: `question ${options.id}`,
    }),
    envelope('observation-create', {
      id: `${options.id}-gen`,
      traceId: options.id,
      type: 'generation',
      model: 'house/model',
      startTime: at(options.start),
      endTime: at(options.start + options.seconds),
      usage: { inputTokens: 100, outputTokens: 10 },
      costUsd: options.costUsd,
      status: options.error ? 'error' : 'success',
      output: `answer ${options.id}`,
    }),
  ];
}

async function ingest(batch: unknown[]) {
  const response = await fixture.context.app.inject({
    method: 'POST',
    url: '/v1/ingest',
    headers: { authorization: `Bearer ${ingestSecret}` },
    payload: { batch },
  });
  if (response.statusCode !== 207 || response.json().errors.length) throw new Error(`ingest failed: ${response.body}`);
}

async function get(url: string) {
  const response = await fixture.owner.request('GET', url);
  if (response.statusCode !== 200) throw new Error(`${url}: ${response.statusCode} ${response.body}`);
  return response.json();
}

beforeAll(async () => {
  fixture = await startGatewayFixture();
  ({ secret: ingestSecret } = await createKey(fixture.owner, { scopes: ['ingest'] }));
  await ingest([
    // Ingested out of order: the session's traces still come back in the order they started.
    ...turn({ id: 'chat-2', sessionId: 'chat', userId: 'ada', start: 60, seconds: 5, costUsd: 0.002, error: true }),
    ...turn({ id: 'chat-1', sessionId: 'chat', userId: 'ada', start: 0, seconds: 2, costUsd: 0.001 }),
    ...turn({ id: 'chat-3', sessionId: 'chat', userId: 'ada', start: 120, seconds: 3, costUsd: 0.004 }),
    ...turn({ id: 'other-1', sessionId: 'other', userId: 'bob', start: 200, seconds: 1, costUsd: 0.01 }),
    ...Array.from({ length: 5 }, (_, index) =>
      turn({ id: `many-${index}`, sessionId: `many-${index}`, start: 300 + index, seconds: 1, costUsd: 0 }),
    ).flat(),
  ]);
});
afterAll(() => fixture?.close());

describe('GET /api/sessions', () => {
  it('lists each session with its traces, tokens, cost, errors, duration and user', async () => {
    const page = sessionList.parse(await get('/api/sessions?limit=200'));
    const chat = page.data.find((session) => session.sessionId === 'chat');
    expect(chat).toEqual({
      sessionId: 'chat',
      traceCount: 3,
      firstTraceAt: at(0),
      lastTraceAt: at(120),
      // From the first trace's start to the end of the last generation.
      durationMs: 123_000,
      userIds: ['ada'],
      inputTokens: 300,
      outputTokens: 30,
      costUsd: expect.closeTo(0.007, 12),
      errorCount: 1,
    });
    expect(page.data.find((session) => session.sessionId === 'other')).toMatchObject({ traceCount: 1, errorCount: 0 });
  });

  it('pages with a cursor through every session once, most recently active first', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `limit=3&cursor=${encodeURIComponent(cursor)}` : 'limit=3';
      const page = sessionList.parse(await get(`/api/sessions?${query}`));
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((session) => session.sessionId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['many-4', 'many-3', 'many-2', 'many-1', 'many-0', 'other', 'chat']);
  });

  it('refuses a cursor it did not make, naming it', async () => {
    const response = await fixture.owner.request('GET', '/api/sessions?cursor=bm90LWEtY3Vyc29y');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('cursor');
  });
});

describe('GET /api/sessions/:id', () => {
  it('opens a session as its traces in the order they started, each with its input and output', async () => {
    const detail = sessionDetailSchema.parse(await get('/api/sessions/chat'));
    expect(detail.session).toMatchObject({ sessionId: 'chat', traceCount: 3, errorCount: 1 });
    expect(detail.traces.map((trace) => [trace.id, trace.input, trace.output, trace.status])).toEqual([
      ['chat-1', 'question chat-1', 'answer chat-1', 'success'],
      ['chat-2', 'question chat-2', 'answer chat-2', 'error'],
      ['chat-3', 'question chat-3', 'answer chat-3', 'success'],
    ]);
    expect(detail.nextCursor).toBeNull();
  });

  it('pages through a long session in order', async () => {
    const first = sessionDetailSchema.parse(await get('/api/sessions/chat?limit=2'));
    expect(first.traces.map((trace) => trace.id)).toEqual(['chat-1', 'chat-2']);
    const rest = sessionDetailSchema.parse(
      await get(`/api/sessions/chat?limit=2&cursor=${encodeURIComponent(first.nextCursor ?? '')}`),
    );
    expect(rest.traces.map((trace) => trace.id)).toEqual(['chat-3']);
    expect(rest.nextCursor).toBeNull();
  });

  it('shows gateway calls as turns: the request sent and the answer, from the call records', async () => {
    const openai = new OpenAI({
      baseURL: `${fixture.serverUrl}/v1`,
      apiKey: fixture.keySecret,
      maxRetries: 0,
      defaultHeaders: { 'x-switchyard-session-id': 'gateway-chat', 'x-switchyard-user-id': 'carol' },
    });
    for (const content of ['Hello there', 'And again']) {
      await openai.chat.completions.create({ model: 'mock/echo', messages: [{ role: 'user', content }] });
    }
    await fixture.context.app.services.batchWriter.flush();
    const detail = sessionDetailSchema.parse(await get('/api/sessions/gateway-chat'));
    expect(detail.session).toMatchObject({ traceCount: 2, userIds: ['carol'] });
    expect(detail.traces.map((trace) => trace.input)).toEqual([
      { messages: [{ role: 'user', content: 'Hello there' }] },
      { messages: [{ role: 'user', content: 'And again' }] },
    ]);
    expect(detail.traces.map((trace) => trace.output)).toEqual([
      [expect.objectContaining({ message: expect.objectContaining({ content: 'Hello there' }) })],
      [expect.objectContaining({ message: expect.objectContaining({ content: 'And again' }) })],
    ]);
  });

  it('answers 404 for a session the org does not have', async () => {
    const response = await fixture.owner.request('GET', '/api/sessions/no-such-session');
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('not_found');
  });
});
