import { type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { bodiesOf, type IngestReceiver, startIngestReceiver, testOptions } from '../test/ingest-receiver.js';
import { currentClient, flush, init, score, shutdown, span, trace } from './global-client.js';
import { wrapOpenAI } from './wrap-openai.js';

let fake: FakeOpenAi;
let receiver: IngestReceiver;
const messages = [{ role: 'user' as const, content: 'Say hello' }];

beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.close());
beforeEach(async () => {
  receiver = await startIngestReceiver();
});
afterEach(async () => {
  await shutdown();
  vi.unstubAllEnvs();
  await receiver.close();
});

describe('before init()', () => {
  it('runs everything unrecorded and never throws', async () => {
    const openai = wrapOpenAI(new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 0 }));
    expect(currentClient()).toBeUndefined();
    const reply = await trace('ignored', () =>
      span('ignored-step', () => openai.chat.completions.create({ model: 'gpt-test', messages })),
    );
    expect(reply.choices).toHaveLength(1);
    expect(() => score({ name: 'ignored', value: 1 })).not.toThrow();
    await expect(flush()).resolves.toBeUndefined();
    expect(receiver.requests).toHaveLength(0);
  });
});

describe('init()', () => {
  it('installs the client the module-level functions and wrapped clients record with', async () => {
    // Wrapped before init(): the client is looked up at each call.
    const openai = wrapOpenAI(new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 0 }));
    const options = testOptions(receiver, { flushIntervalMs: 60_000 });
    const client = init(options);
    expect(currentClient()).toBe(client);
    await trace('answer', () => span('call', () => openai.chat.completions.create({ model: 'gpt-test', messages })));
    await flush();
    expect(bodiesOf(receiver, 'trace-create').map((body) => body.name)).toEqual(['answer']);
    expect(bodiesOf(receiver, 'observation-create').map((body) => body.name)).toEqual([
      'openai.chat.completions.create',
      'call',
    ]);
    expect(options.errors).toEqual([]);
  });

  it('reads SWITCHYARD_API_KEY and SWITCHYARD_URL when not given', async () => {
    vi.stubEnv('SWITCHYARD_API_KEY', receiver.apiKey);
    vi.stubEnv('SWITCHYARD_URL', `${receiver.endpoint}/`);
    init();
    trace('from-env', () => undefined);
    await flush();
    expect(bodiesOf(receiver, 'trace-create').map((body) => body.name)).toEqual(['from-env']);
  });

  it('replaces the previous client, which sends what it had queued', async () => {
    const first = init(testOptions(receiver, { flushIntervalMs: 60_000 }));
    trace('by-first', () => undefined);
    const second = init(testOptions(receiver, { flushIntervalMs: 60_000 }));
    expect(first.enabled).toBe(false);
    trace('by-second', () => undefined);
    await Promise.all([first.flush(), second.flush()]);
    expect(bodiesOf(receiver, 'trace-create').map((body) => body.name)).toEqual(['by-first', 'by-second']);
  });

  it('shutdown() flushes and makes the module-level functions no-ops again', async () => {
    init(testOptions(receiver, { flushIntervalMs: 60_000 }));
    trace('last', () => undefined);
    await shutdown();
    expect(receiver.events).toHaveLength(1);
    expect(currentClient()).toBeUndefined();
    expect(trace('after', () => 'ran')).toBe('ran');
  });
});
