import { FAKE_REPLY, type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { and, eq } from 'drizzle-orm';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayFixture } from '../../../test/gateway-fixture.js';
import { createKey, signUp, type TestContext } from '../../../test/test-app.js';
import { organizations } from '../../db/schema.js';
import { observations, traces, usageRollups } from '../../db/telemetry-schema.js';

let upstream: FakeOpenAi;
let context: TestContext;
let serverUrl: string;
let orgId: string;
let keyId: string;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  ({
    context,
    serverUrl,
    orgId,
    keyId,
    openai: client,
  } = await startGatewayFixture({ OPENAI_API_KEY: upstream.apiKey, OPENAI_BASE_URL: upstream.baseUrl }));
});
afterAll(async () => {
  await context?.close();
  await upstream?.close();
});

const db = () => context.backends.database.db;

async function recordOf(requestId: string | null) {
  await context.app.services.batchWriter.flush();
  const [row] = await db()
    .select()
    .from(observations)
    .where(and(eq(observations.orgId, orgId), eq(observations.id, String(requestId))));
  return row;
}

describe('every gateway call becomes a generation record', () => {
  it('records a completion: provider, model, tokens, cost, status, key, payloads', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi there' }], temperature: 0.5 })
      .withResponse();
    const row = await recordOf(response.headers.get('x-switchyard-request-id'));
    expect(row).toMatchObject({
      type: 'generation',
      name: 'chat.completions',
      provider: 'openai',
      model: 'openai/gpt-4o-mini',
      inputTokens: 11,
      outputTokens: 5,
      cachedInputTokens: 3,
      status: 'success',
      statusCode: 200,
      attempts: 1,
      apiKeyId: keyId,
    });
    expect(row?.costUsd).toBeCloseTo((8 * 0.15 + 3 * 0.075 + 5 * 0.6) / 1e6, 12);
    expect(row?.latencyMs).toBeGreaterThan(0);
    expect(row?.input).toEqual({ messages: [{ role: 'user', content: 'Hi there' }], temperature: 0.5 });
    expect(row?.output).toEqual([expect.objectContaining({ message: { role: 'assistant', content: FAKE_REPLY } })]);
    const [trace] = await db()
      .select()
      .from(traces)
      .where(and(eq(traces.orgId, orgId), eq(traces.id, String(row?.traceId))));
    expect(trace?.name).toBe('chat.completions');
  });

  it('records a stream with its time to first token and the reassembled answer', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'openai/gpt-test', messages: [{ role: 'user', content: 'Hi' }], stream: true })
      .withResponse();
    for await (const _chunk of stream) {
      // drain
    }
    const row = await recordOf(response.headers.get('x-switchyard-request-id'));
    expect(row).toMatchObject({ status: 'success', inputTokens: 11, outputTokens: 5 });
    expect(row?.ttftMs).toBeGreaterThan(0);
    expect(row?.ttftMs).toBeLessThanOrEqual(row?.latencyMs ?? 0);
    expect(row?.output).toEqual([
      { index: 0, message: { role: 'assistant', content: FAKE_REPLY }, finish_reason: 'stop' },
    ]);
  });

  it('places calls in the trace, session, user and tags the headers name', async () => {
    const headers = {
      'x-switchyard-trace-id': 'trace-checkout-42',
      'x-switchyard-session-id': 'session-7',
      'x-switchyard-user-id': 'user-ada',
      'x-switchyard-tags': 'checkout, beta',
    };
    const first = await client.chat.completions
      .create({ model: 'mock/echo', messages: [{ role: 'user', content: 'one' }] }, { headers })
      .withResponse();
    const second = await client.chat.completions
      .create({ model: 'mock/echo', messages: [{ role: 'user', content: 'two' }] }, { headers })
      .withResponse();
    expect((await recordOf(first.response.headers.get('x-switchyard-request-id')))?.traceId).toBe('trace-checkout-42');
    expect((await recordOf(second.response.headers.get('x-switchyard-request-id')))?.traceId).toBe('trace-checkout-42');
    const [trace] = await db()
      .select()
      .from(traces)
      .where(and(eq(traces.orgId, orgId), eq(traces.id, 'trace-checkout-42')));
    expect(trace).toMatchObject({ sessionId: 'session-7', userId: 'user-ada', tags: ['checkout', 'beta'] });
  });

  it('records a failed call with its status and error', async () => {
    const failed = await client.chat.completions
      .create({ model: 'openai/fail-503', messages: [{ role: 'user', content: 'Hi' }] })
      .catch((error: InstanceType<typeof OpenAI.APIError>) => error);
    const row = await recordOf(
      (failed as InstanceType<typeof OpenAI.APIError>).headers?.get('x-switchyard-request-id') ?? null,
    );
    expect(row).toMatchObject({ status: 'error', statusCode: 502, level: 'ERROR', inputTokens: 0 });
    expect(row?.error).toContain('openai answered 503');
  });

  it('keeps hourly rollups that add up to the records', async () => {
    await context.app.services.batchWriter.flush();
    const rows = await db().select().from(usageRollups).where(eq(usageRollups.orgId, orgId));
    const records = await db().select().from(observations).where(eq(observations.orgId, orgId));
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    expect(sum(rows.map((row) => row.requests))).toBe(records.length);
    expect(sum(rows.map((row) => row.errors))).toBe(records.filter((record) => record.status === 'error').length);
    expect(sum(rows.map((row) => row.inputTokens))).toBe(sum(records.map((record) => record.inputTokens)));
    expect(sum(rows.map((row) => row.costUsd))).toBeCloseTo(sum(records.map((record) => record.costUsd ?? 0)), 12);
    expect(sum(rows.flatMap((row) => row.latencyHistogram))).toBe(records.length);
    expect(rows.every((row) => row.apiKeyId === keyId && row.bucketStart.getUTCMinutes() === 0)).toBe(true);
    const metrics = (await context.app.inject('/metrics')).body;
    expect(metrics).toMatch(/switchyard_records_written [1-9]/);
    expect(metrics).toContain('switchyard_records_dropped 0');
  });

  it('stores no payloads for an org that turned payload logging off', async () => {
    const owner = await signUp(context.app);
    await db().update(organizations).set({ logPayloads: false }).where(eq(organizations.id, owner.orgId));
    const key = await createKey(owner.client, { scopes: ['gateway'] });
    const quiet = new OpenAI({ baseURL: `${serverUrl}/v1`, apiKey: key.secret, maxRetries: 0 });
    const { response } = await quiet.chat.completions
      .create({ model: 'mock/echo', messages: [{ role: 'user', content: 'secret plans' }] })
      .withResponse();
    await context.app.services.batchWriter.flush();
    const [row] = await db()
      .select()
      .from(observations)
      .where(
        and(
          eq(observations.orgId, owner.orgId),
          eq(observations.id, String(response.headers.get('x-switchyard-request-id'))),
        ),
      );
    expect(row).toMatchObject({ status: 'success', input: null, output: null });
    expect(row?.outputTokens).toBeGreaterThan(0);
  });

  it('writes what is still buffered when the server shuts down', async () => {
    const replica = await context.replica();
    const replicaUrl = await replica.listen({ port: 0, host: '127.0.0.1' });
    const { secret } = await createKey((await signUp(context.app)).client, { scopes: ['gateway'] });
    const viaReplica = new OpenAI({ baseURL: `${replicaUrl}/v1`, apiKey: secret, maxRetries: 0 });
    const { response } = await viaReplica.chat.completions
      .create({ model: 'mock/echo', messages: [{ role: 'user', content: 'last words' }] })
      .withResponse();
    await replica.close();
    const rows = await db()
      .select()
      .from(observations)
      .where(eq(observations.id, String(response.headers.get('x-switchyard-request-id'))));
    expect(rows).toHaveLength(1);
  });
});
