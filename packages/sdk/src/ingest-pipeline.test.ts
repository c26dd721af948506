import { createServer } from 'node:http';
import { listenOnLoopback } from '@switchyard/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bodiesOf, type IngestReceiver, startIngestReceiver, testOptions } from '../test/ingest-receiver.js';
import { SwitchyardClient } from './client.js';

let receiver: IngestReceiver;
const clients: SwitchyardClient[] = [];

function client(options: Parameters<typeof testOptions>[1] = {}) {
  const options_ = testOptions(receiver, options);
  const created = new SwitchyardClient(options_);
  clients.push(created);
  return Object.assign(created, { errors: options_.errors });
}

/** Records n one-event traces named `t0`, `t1`, … */
function recordTraces(target: SwitchyardClient, count: number, prefix = 't') {
  for (let index = 0; index < count; index += 1) target.trace(`${prefix}${index}`, () => undefined);
}

beforeEach(async () => {
  receiver = await startIngestReceiver();
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((created) => created.shutdown()));
  await receiver.close();
});

describe('batching', () => {
  it('sends a request as soon as flushAt events are queued', async () => {
    const sdk = client({ flushAt: 3, flushIntervalMs: 60_000 });
    recordTraces(sdk, 7);
    await vi.waitFor(() => expect(receiver.requests).toHaveLength(2));
    expect(receiver.requests.map((request) => request.ids.length)).toEqual([3, 3]);
    await sdk.flush();
    expect(receiver.requests.map((request) => request.ids.length)).toEqual([3, 3, 1]);
    expect(bodiesOf(receiver, 'trace-create').map((trace) => trace.name)).toEqual(
      Array.from({ length: 7 }, (_, index) => `t${index}`),
    );
  });

  it('sends what is queued once flushIntervalMs has passed, without a flush()', async () => {
    const sdk = client({ flushAt: 100, flushIntervalMs: 20 });
    recordTraces(sdk, 2);
    expect(receiver.requests).toHaveLength(0);
    await vi.waitFor(() => expect(receiver.requests).toHaveLength(1));
    expect(receiver.requests[0]?.ids).toHaveLength(2);
  });

  it('sends each event at once in immediate mode, with no timer to wait for', async () => {
    const sdk = client({ mode: 'immediate', flushAt: 100, flushIntervalMs: 60_000 });
    sdk.trace('now', () => undefined);
    await vi.waitFor(() => expect(receiver.events).toHaveLength(1));
    sdk.score({ traceId: 'trace-1', name: 'quality', value: 1 });
    await sdk.flush();
    expect(receiver.events.map((event) => event.type)).toEqual(['trace-create', 'score-create']);
  });
});

describe('retries', () => {
  it('retries a 500 with backoff and resends the same envelope ids until acknowledged', async () => {
    const sdk = client({ maxRetries: 3 });
    receiver.failNext(2, { status: 500 });
    recordTraces(sdk, 3);
    await sdk.flush();
    expect(receiver.requests.map((request) => request.answered)).toEqual([500, 500, 207]);
    const [first, , last] = receiver.requests;
    expect(last?.ids).toEqual(first?.ids);
    expect(receiver.events).toHaveLength(3);
    expect(sdk.errors).toEqual([]);
  });

  it('honours a 429 and a dropped connection, then delivers', async () => {
    const sdk = client({ maxRetries: 3 });
    receiver.failNext(1, { status: 429, retryAfter: '0' });
    receiver.failNext(1, 'close');
    recordTraces(sdk, 1);
    await sdk.flush();
    expect(receiver.requests.map((request) => request.answered)).toEqual([429, 'closed', 207]);
    expect(receiver.events).toHaveLength(1);
  });

  it('gives up after maxRetries and reports a delivery error', async () => {
    const sdk = client({ maxRetries: 1 });
    receiver.failNext(5, { status: 503 });
    recordTraces(sdk, 1);
    await sdk.flush();
    expect(receiver.requests).toHaveLength(2);
    expect(sdk.errors.map((error) => error.kind)).toEqual(['delivery']);
  });

  it('drops events refused with a 4xx in the 207, never retrying them, and resends only 5xx ones', async () => {
    const sdk = client({ maxRetries: 3 });
    receiver.failEvents((event, seen) => {
      const name = event.type === 'trace-create' ? event.body.name : undefined;
      if (name === 'refused') return { status: 400, message: 'refused by the test' };
      if (name === 'flaky' && seen === 1) return { status: 503, message: 'try again' };
      return undefined;
    });
    sdk.trace('refused', () => undefined);
    sdk.trace('flaky', () => undefined);
    sdk.trace('fine', () => undefined);
    await sdk.flush();
    expect(receiver.requests.map((request) => request.ids.length)).toEqual([3, 1]);
    expect(bodiesOf(receiver, 'trace-create').map((trace) => trace.name)).toEqual(['fine', 'flaky']);
    expect(sdk.errors.map((error) => [error.kind, error.status])).toEqual([['rejected', 400]]);
  });

  it('drops a batch refused as a whole (401) without retrying', async () => {
    const sdk = client({ apiKey: 'sy-wrong-key', maxRetries: 3 });
    recordTraces(sdk, 2);
    await sdk.flush();
    expect(receiver.requests).toHaveLength(1);
    expect(sdk.errors.map((error) => [error.kind, error.status])).toEqual([['rejected', 401]]);
  });
});

describe('size limits', () => {
  it('splits a batch that would pass the 5 MB body limit into several requests', async () => {
    const sdk = client({ flushAt: 100, flushIntervalMs: 60_000 });
    const input = 'x'.repeat(900_000);
    for (let index = 0; index < 6; index += 1) sdk.trace(`big${index}`, () => undefined, { input });
    await sdk.flush();
    expect(receiver.requests.map((request) => request.ids.length)).toEqual([5, 1]);
    expect(receiver.events).toHaveLength(6);
  });

  it('sends an event over the 1 MB event limit without its payloads', async () => {
    const sdk = client();
    sdk.trace('huge-prompt', () => undefined, { input: 'x'.repeat(1_100_000), userId: 'user-1' });
    await sdk.flush();
    const [trace] = bodiesOf(receiver, 'trace-create');
    expect(trace).toMatchObject({ name: 'huge-prompt', userId: 'user-1' });
    expect(trace?.input).toMatch(/^\[removed by @switchyard\/sdk: the event was \d+ bytes/);
    expect(sdk.errors.splice(0).map((error) => error.kind)).toEqual(['event-too-large']);
  });
});

describe('bounded queue', () => {
  it('drops the oldest events when full and counts them', async () => {
    const sdk = client({ maxQueueSize: 3, flushAt: 100, flushIntervalMs: 60_000 });
    recordTraces(sdk, 5);
    expect(sdk.dropped).toBe(2);
    await sdk.flush();
    expect(bodiesOf(receiver, 'trace-create').map((trace) => trace.name)).toEqual(['t2', 't3', 't4']);
    expect(sdk.errors.map((error) => error.kind)).toEqual(['queue-overflow', 'queue-overflow']);
  });
});

describe('lifecycle', () => {
  it('shutdown() sends what is queued, then records nothing more', async () => {
    const sdk = client({ flushAt: 100, flushIntervalMs: 60_000 });
    recordTraces(sdk, 2);
    await sdk.shutdown();
    expect(receiver.events).toHaveLength(2);
    expect(sdk.enabled).toBe(false);
    expect(sdk.trace('after', () => 'still runs')).toBe('still runs');
    await sdk.flush();
    expect(receiver.events).toHaveLength(2);
  });

  it('never throws into the app when the endpoint is down', async () => {
    const down = createServer();
    const { origin, close } = await listenOnLoopback(down);
    await close();
    const sdk = client({ endpoint: origin, maxRetries: 1 });
    const result = await sdk.trace('offline', async (trace) => {
      const inner = await sdk.span('step', async () => 41);
      trace.update({ output: inner + 1 });
      sdk.score({ name: 'ok', value: 1 });
      return inner + 1;
    });
    expect(result).toBe(42);
    await expect(sdk.flush()).resolves.toBeUndefined();
    expect(sdk.errors.map((error) => error.kind)).toEqual(['delivery']);
  });

  it('is a silent no-op without an API key', async () => {
    const sdk = client({ apiKey: '' });
    expect(sdk.enabled).toBe(false);
    expect(sdk.trace('ignored', () => 'ran')).toBe('ran');
    await sdk.flush();
    expect(receiver.requests).toHaveLength(0);
    expect(sdk.errors.map((error) => error.kind)).toEqual(['config']);
  });
});
