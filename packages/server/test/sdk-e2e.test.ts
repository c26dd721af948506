import { randomUUID } from 'node:crypto';
import { flush, init, score, shutdown, span, trace, wrapOpenAI } from '@switchyard/sdk';
import { pageSchema, traceDetailSchema, traceSummarySchema } from '@switchyard/shared';
import { FAKE_REPLY, FAKE_USAGE, type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, type SessionClient, setPlan, signUp, type TestContext } from './test-app.js';

/**
 * The seed's "test SDK → API → DB": an app calls OpenAI directly (here the fake upstream, over real
 * HTTP) with the official `openai` client wrapped by @switchyard/sdk, inside a trace with a span;
 * the SDK sends its events to a real Switchyard server; the query API shows them from the database.
 */
let context: TestContext;
let upstream: FakeOpenAi;
let owner: SessionClient;
let serverUrl: string;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  context = await createTestApp();
  serverUrl = await context.app.listen({ port: 0, host: '127.0.0.1' });
  const signedUp = await signUp(context.app);
  owner = signedUp.client;
  await setPlan(context.app, signedUp.orgId, 'enterprise');
  const { secret } = await createKey(owner, { scopes: ['ingest'] });
  init({ apiKey: secret, endpoint: serverUrl, flushIntervalMs: 50 });
});
afterAll(async () => {
  await shutdown();
  await context?.close();
  await upstream?.close();
});

async function findTrace(userId: string) {
  const list = pageSchema(traceSummarySchema).parse(
    (await owner.request('GET', `/api/traces?userId=${userId}`)).json(),
  );
  expect(list.data).toHaveLength(1);
  const response = await owner.request('GET', `/api/traces/${list.data[0]?.id}`);
  return traceDetailSchema.parse(response.json());
}

describe('@switchyard/sdk → /v1/ingest → Postgres → /api/traces', () => {
  it('records a trace with a retrieval span, a completion and a streamed completion, nested, with usage and cost', async () => {
    const openai = wrapOpenAI(new OpenAI({ apiKey: upstream.apiKey, baseURL: upstream.baseUrl, maxRetries: 0 }));
    const userId = `user-${randomUUID()}`;
    let traceId = '';
    const answer = await trace(
      'support-chat',
      async (current) => {
        traceId = current.traceId;
        const documents = await span(
          'search-docs',
          async (step) => {
            const hits = ['doc-1', 'doc-2'];
            step.update({ output: hits });
            return hits;
          },
          {
            type: 'retrieval',
            input: 'refund policy',
          },
        );
        const completion = await openai.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: `Answer from ${documents.join(', ')}` }],
        });
        const stream = await openai.chat.completions.create({
          model: 'gpt-4o-mini',
          messages: [{ role: 'user', content: 'And in short?' }],
          stream: true,
          // OpenAI reports a stream's usage only when asked; the SDK records what the stream carries.
          stream_options: { include_usage: true },
        });
        let streamed = '';
        for await (const chunk of stream) streamed += chunk.choices[0]?.delta?.content ?? '';
        current.update({ output: streamed });
        return completion.choices[0]?.message.content;
      },
      { userId, sessionId: 'support-session', tags: ['e2e'], input: 'How do refunds work?' },
    );
    // The caller got the upstream's answer, untouched.
    expect(answer).toBe(FAKE_REPLY);
    // After the trace has ended, as a user's thumbs-up arrives.
    score({ name: 'helpful', value: 1, traceId, comment: 'thumbs up' });
    await flush();

    const stored = await findTrace(userId);
    expect(stored).toMatchObject({
      name: 'support-chat',
      sessionId: 'support-session',
      tags: ['e2e'],
      input: 'How do refunds work?',
      status: 'success',
      observationCount: 3,
    });
    // In start order; steps that start within the same millisecond (the SDK's clock) come back in id
    // order, so each is found by what it is.
    const starts = stored.observations.map((observation) => Date.parse(observation.startTime));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const retrieval = stored.observations.find((observation) => observation.type === 'retrieval');
    const asked = (question: string) =>
      stored.observations.find((observation) => JSON.stringify(observation.input).includes(question));
    const completion = asked('Answer from doc-1, doc-2');
    const streamed = asked('And in short?');
    expect(retrieval).toMatchObject({
      type: 'retrieval',
      name: 'search-docs',
      output: ['doc-1', 'doc-2'],
      source: 'ingest',
    });
    for (const generation of [completion, streamed]) {
      expect(generation).toMatchObject({
        type: 'generation',
        provider: 'openai',
        // The model the upstream answered with (a dated version), priced as gpt-4o-mini.
        model: expect.stringMatching(/^gpt-4o-mini/),
        inputTokens: FAKE_USAGE.prompt_tokens,
        outputTokens: FAKE_USAGE.completion_tokens,
        cachedInputTokens: FAKE_USAGE.prompt_tokens_details.cached_tokens,
        status: 'success',
      });
      // Costed by the server from the price table: gpt-4o-mini, 3 of 11 input tokens cached.
      expect(generation?.costUsd).toBeCloseTo((8 * 0.15 + 3 * 0.075 + 5 * 0.6) / 1e6, 12);
    }
    expect(completion?.output).toMatchObject({ content: FAKE_REPLY });
    expect(streamed?.ttftMs).not.toBeNull();
    expect(streamed?.output).toMatchObject({ content: expect.stringContaining('Hello') });
    expect(stored.id).toBe(traceId);
    expect(stored.scores).toMatchObject([{ name: 'helpful', value: 1, comment: 'thumbs up' }]);
  });

  it('records a failed call as an error without changing the error the caller sees', async () => {
    const openai = wrapOpenAI(new OpenAI({ apiKey: upstream.apiKey, baseURL: upstream.baseUrl, maxRetries: 0 }));
    const userId = `user-${randomUUID()}`;
    const thrown = await trace(
      'failing-chat',
      () => openai.chat.completions.create({ model: 'fail-500', messages: [{ role: 'user', content: 'hi' }] }),
      { userId },
    ).catch((error: unknown) => error);
    expect(thrown).toBeInstanceOf(OpenAI.InternalServerError);
    await flush();
    const stored = await findTrace(userId);
    expect(stored.status).toBe('error');
    expect(stored.observations).toMatchObject([{ type: 'generation', status: 'error', model: 'fail-500' }]);
  });
});
