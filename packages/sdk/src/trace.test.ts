import { type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { bodiesOf, type IngestReceiver, startIngestReceiver, testOptions } from '../test/ingest-receiver.js';
import { SwitchyardClient } from './client.js';
import type { SwitchyardOptions } from './options.js';
import { wrapOpenAI } from './wrap-openai.js';

let fake: FakeOpenAi;
let receiver: IngestReceiver;
const clients: Array<SwitchyardClient & { errors: unknown[] }> = [];
const messages = [{ role: 'user' as const, content: 'Say hello' }];

function client(overrides: SwitchyardOptions = {}) {
  const options = testOptions(receiver, overrides);
  const created = Object.assign(new SwitchyardClient(options), { errors: options.errors });
  clients.push(created);
  return created;
}

async function recorded(sdk: SwitchyardClient) {
  await sdk.flush();
  const observations = bodiesOf(receiver, 'observation-create');
  const byName = (name: string) => {
    const found = observations.find((observation) => observation.name === name);
    if (!found) throw new Error(`no observation named ${name}`);
    return found;
  };
  return { traces: bodiesOf(receiver, 'trace-create'), observations, byName };
}

beforeAll(async () => {
  fake = await startFakeOpenAi();
});
afterAll(() => fake.close());
beforeEach(async () => {
  receiver = await startIngestReceiver();
});
afterEach(async () => {
  for (const sdk of clients.splice(0)) {
    await sdk.shutdown();
    expect(sdk.errors).toEqual([]);
  }
  await receiver.close();
});

describe('nesting', () => {
  it('gives spans and wrapped calls the traceId and parentId of where they run, across awaits', async () => {
    const sdk = client();
    const openai = wrapOpenAI(new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 0 }), {
      client: sdk,
    });
    const traceId = await sdk.trace('answer', async (trace) => {
      await sdk.span(
        'agent-loop',
        async () => {
          await sdk.span('lookup', () => openai.chat.completions.create({ model: 'gpt-test', messages }), {
            type: 'tool',
          });
        },
        { type: 'agent' },
      );
      await openai.embeddings.create({ model: 'embed-test', input: 'hello' });
      return trace.traceId;
    });

    const { traces, observations, byName } = await recorded(sdk);
    expect(traces).toEqual([expect.objectContaining({ id: traceId, name: 'answer' })]);
    expect(observations.every((observation) => observation.traceId === traceId)).toBe(true);
    expect(byName('agent-loop')).toMatchObject({ type: 'agent' });
    expect(byName('agent-loop').parentId).toBeUndefined();
    expect(byName('lookup')).toMatchObject({ type: 'tool', parentId: byName('agent-loop').id });
    expect(byName('openai.chat.completions.create').parentId).toBe(byName('lookup').id);
    expect(byName('openai.embeddings.create').parentId).toBeUndefined();
  });

  it('keeps concurrent traces apart', async () => {
    const sdk = client();
    const run = (name: string) =>
      sdk.trace(name, async (trace) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        await sdk.span(`${name}-step`, async () => {
          await new Promise((resolve) => setTimeout(resolve, 1));
        });
        return trace.traceId;
      });
    const [first, second] = await Promise.all([run('first'), run('second')]);
    const { byName } = await recorded(sdk);
    expect(byName('first-step').traceId).toBe(first);
    expect(byName('second-step').traceId).toBe(second);
  });

  it('starts a trace named after a span or a wrapped call made outside any trace', async () => {
    const sdk = client();
    sdk.span('standalone', () => undefined, { userId: 'user-1', sessionId: 'session-1' });
    const { traces, byName } = await recorded(sdk);
    expect(traces).toEqual([
      expect.objectContaining({
        id: byName('standalone').traceId,
        name: 'standalone',
        userId: 'user-1',
        sessionId: 'session-1',
      }),
    ]);
  });
});

describe('what passes through', () => {
  it('returns a sync value and rethrows a sync error, recording the error on the span', async () => {
    const sdk = client();
    const failure = new Error('tool broke');
    expect(sdk.trace('sync', () => sdk.span('ok', () => 7))).toBe(7);
    expect(() =>
      sdk.span('broken', () => {
        throw failure;
      }),
    ).toThrow(failure);
    const { byName } = await recorded(sdk);
    expect(byName('ok')).toMatchObject({ status: 'success' });
    expect(byName('broken')).toMatchObject({ status: 'error', level: 'ERROR', statusMessage: 'tool broke' });
  });

  it('returns the very promise the callback returned, resolved or rejected', async () => {
    const sdk = client();
    const failure = new Error('async broke');
    const resolved = Promise.resolve('value');
    const rejected = Promise.reject(failure);
    expect(sdk.span('resolves', () => resolved)).toBe(resolved);
    const returned = sdk.span('rejects', () => rejected);
    expect(returned).toBe(rejected);
    await expect(returned).rejects.toBe(failure);
    const { byName } = await recorded(sdk);
    expect(byName('resolves')).toMatchObject({ status: 'success' });
    expect(byName('rejects')).toMatchObject({ status: 'error', statusMessage: 'async broke' });
  });

  it('records output set through the handles, and a late update as its own event', async () => {
    const sdk = client();
    let late: { update(fields: { output?: unknown }): void } | undefined;
    await sdk.trace(
      'with-output',
      async (trace) => {
        sdk.span('step', (step) => {
          step.update({ output: { rows: 3 } });
          late = step;
        });
        trace.update({ output: 'done', tags: ['checked'] });
      },
      { input: 'question', userId: 'user-7', metadata: { plan: 'pro' } },
    );
    late?.update({ output: { rows: 4 } });
    const { traces, byName } = await recorded(sdk);
    expect(traces[0]).toMatchObject({
      input: 'question',
      output: 'done',
      userId: 'user-7',
      tags: ['checked'],
      metadata: { plan: 'pro' },
    });
    expect(traces[0]?.endTime).toBeDefined();
    expect(byName('step').output).toEqual({ rows: 3 });
    expect(bodiesOf(receiver, 'observation-update')).toEqual([{ id: byName('step').id, output: { rows: 4 } }]);
  });
});

describe('sampling and masking', () => {
  const recordEverything = async (sdk: SwitchyardClient) => {
    const openai = wrapOpenAI(new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 0 }), {
      client: sdk,
    });
    await sdk.trace('sampled', async () => {
      await sdk.span('step', () => openai.chat.completions.create({ model: 'gpt-test', messages }));
      sdk.score({ name: 'quality', value: 1 });
    });
    await openai.chat.completions.create({ model: 'gpt-test', messages });
    await sdk.flush();
  };

  it('records nothing at sampleRate 0', async () => {
    await recordEverything(client({ sampleRate: 0 }));
    expect(receiver.requests).toHaveLength(0);
  });

  it('records every trace whole at sampleRate 1', async () => {
    await recordEverything(client({ sampleRate: 1 }));
    expect(receiver.events.map((event) => event.type).sort()).toEqual([
      'observation-create',
      'observation-create',
      'observation-create',
      'score-create',
      'trace-create',
      'trace-create',
    ]);
  });

  it('applies mask to every input, output and metadata before it is queued', async () => {
    const mask = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('secret', '[redacted]'));
    const sdk = client({ mask });
    const openai = wrapOpenAI(new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseUrl, maxRetries: 0 }), {
      client: sdk,
    });
    await sdk.trace(
      'masked',
      async (trace) => {
        await openai.chat.completions.create({ model: 'gpt-test', messages: [{ role: 'user', content: 'my secret' }] });
        trace.update({ output: 'the secret answer' });
      },
      { input: 'secret question', metadata: { note: 'secret' } },
    );
    await sdk.flush();
    expect(JSON.stringify(receiver.events)).not.toContain('secret');
    const [trace] = bodiesOf(receiver, 'trace-create');
    expect(trace).toMatchObject({
      input: '[redacted] question',
      output: 'the [redacted] answer',
      metadata: { note: '[redacted]' },
    });
  });
});

describe('scores', () => {
  it('defaults to the current trace and reports a score with no trace to attach to', async () => {
    const sdk = client();
    const traceId = sdk.trace('scored', (trace) => {
      sdk.score({ name: 'relevance', value: 0.8, comment: 'fine' });
      return trace.traceId;
    });
    sdk.score({ traceId, observationId: 'obs-1', name: 'thumbs-up', value: 1 });
    sdk.score({ name: 'orphan', value: 1 });
    await sdk.flush();
    expect(bodiesOf(receiver, 'score-create')).toEqual([
      expect.objectContaining({ traceId, name: 'relevance', value: 0.8, comment: 'fine' }),
      expect.objectContaining({ traceId, observationId: 'obs-1', name: 'thumbs-up', value: 1 }),
    ]);
    expect(sdk.errors.splice(0).map((error) => (error as { kind: string }).kind)).toEqual(['usage']);
  });
});
