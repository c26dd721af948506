import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, type SessionClient, signUp, type TestContext } from '../../../test/test-app.js';
import type { App } from '../../app.js';
import type { LiveUpdate } from '../live-feed.js';

let context: TestContext;
let replica: App;
let replicaUrl: string;

beforeAll(async () => {
  context = await createTestApp();
  await context.app.listen({ port: 0, host: '127.0.0.1' });
  replica = await context.replica();
  replicaUrl = await replica.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => context?.close());

type ServerSentEvent = { event: string; data: string };

/** A real EventSource-style reader over fetch: `next()` resolves with each event as it arrives. */
async function openLive(url: string, client: SessionClient) {
  const cookie = [...client.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  const controller = new AbortController();
  const response = await fetch(`${url}/api/live`, { headers: { cookie }, signal: controller.signal });
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  const received: ServerSentEvent[] = [];
  const next = async (): Promise<ServerSentEvent> => {
    for (;;) {
      const end = buffered.indexOf('\n\n');
      if (end !== -1) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        if (block.startsWith(':')) continue;
        const event = block.match(/^event: (.*)$/m)?.[1] ?? 'message';
        const data = block.match(/^data: (.*)$/m)?.[1] ?? '';
        received.push({ event, data });
        return { event, data };
      }
      const { value, done } = await reader.read();
      if (done) throw new Error('the stream ended');
      buffered += decoder.decode(value, { stream: true });
    }
  };
  return { response, next, received, close: () => controller.abort() };
}

async function ingestGeneration(secret: string, model: string) {
  const now = new Date().toISOString();
  const traceId = randomUUID();
  const response = await context.app.inject({
    method: 'POST',
    url: '/v1/ingest',
    headers: { authorization: `Bearer ${secret}` },
    payload: {
      batch: [
        { id: randomUUID(), type: 'trace-create', timestamp: now, body: { id: traceId, name: 'live' } },
        {
          id: randomUUID(),
          type: 'observation-create',
          timestamp: now,
          body: {
            id: randomUUID(),
            traceId,
            type: 'generation',
            model,
            startTime: now,
            usage: { inputTokens: 1_000, outputTokens: 10 },
          },
        },
      ],
    },
  });
  expect(response.statusCode).toBe(207);
}

describe('GET /api/live', () => {
  it('tells a dashboard on another replica about each commit of its org, and nothing of other orgs', async () => {
    const first = await signUp(context.app);
    const second = await signUp(context.app);
    const { secret: firstKey } = await createKey(first.client, { scopes: ['ingest'] });
    const { secret: secondKey } = await createKey(second.client, { scopes: ['ingest'] });

    const firstLive = await openLive(replicaUrl, first.client);
    expect(firstLive.response.headers.get('content-type')).toContain('text/event-stream');
    expect(await firstLive.next()).toEqual({ event: 'ready', data: JSON.stringify({ orgId: first.orgId }) });
    const secondLive = await openLive(replicaUrl, second.client);
    expect((await secondLive.next()).event).toBe('ready');

    // Written by the first replica, heard on the second through the kv.
    await ingestGeneration(firstKey, 'openai/gpt-4o-mini');
    const heard = await firstLive.next();
    expect(heard.event).toBe('records');
    const update = JSON.parse(heard.data) as LiveUpdate;
    expect(update).toMatchObject({
      orgId: first.orgId,
      traces: 1,
      totals: { observations: 1, generations: 1, errors: 0, inputTokens: 1_000, outputTokens: 10 },
      observations: [{ model: 'openai/gpt-4o-mini', type: 'generation', status: 'success' }],
    });

    // The second org's stream hears its own commit first: the first org's went out before it, on the
    // same channel, so had it leaked it would have arrived before.
    await ingestGeneration(secondKey, 'openai/gpt-4o');
    const own = JSON.parse((await secondLive.next()).data) as LiveUpdate;
    expect(own.orgId).toBe(second.orgId);
    expect(own.observations[0]?.model).toBe('openai/gpt-4o');
    expect(secondLive.received.filter((event) => event.event === 'records')).toHaveLength(1);
    firstLive.close();
    secondLive.close();
  });

  it('needs a session or an admin key', async () => {
    const response = await fetch(`${replicaUrl}/api/live`);
    expect(response.status).toBe(401);
  });
});
