import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminClient, prepareOrg } from './admin-client.js';
import { startFaultStack } from './fault-stack.js';
import { recordFaultRow } from './fault-table.js';
import { rawRequest } from './raw-request.js';
import type { ServerProcess } from './server-process.js';
import { waitFor } from './wait-for.js';

/**
 * Inputs that once poisoned a writer (found by the fuzzer): valid JSON that Postgres or
 * JSON.stringify cannot take. One such request must cost only itself, never a neighbour's
 * events or every later record.
 */
let server: ServerProcess;
let admin: AdminClient;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  ({ server, admin } = await startFaultStack(cleanups, { redis: false }));
  await prepareOrg(admin);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

const deeplyNested = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;
const now = () => new Date().toISOString();

/** A chat call whose user content part carries `extra` as raw JSON text. */
function chatWith(traceId: string, extraJson: string) {
  const body = JSON.stringify({
    model: 'mock/echo',
    messages: [{ role: 'user', content: [{ type: 'text', text: 'hello', extra: '@extra@' }] }],
  }).replace('"@extra@"', extraJson);
  return rawRequest({
    url: `${server.url}/v1/chat/completions`,
    method: 'POST',
    headers: {
      authorization: `Bearer ${admin.adminKey}`,
      'content-type': 'application/json',
      'x-switchyard-trace-id': traceId,
    },
    body,
  });
}

async function isRecorded(traceId: string): Promise<boolean> {
  return waitFor(
    `the record of ${traceId}`,
    async () => (await admin.request('GET', `/api/traces/${traceId}`)).status === 200,
    15_000,
  ).then(
    () => true,
    () => false,
  );
}

function ingest(batchJson: string) {
  return rawRequest({
    url: `${server.url}/v1/ingest`,
    method: 'POST',
    headers: { authorization: `Bearer ${admin.adminKey}`, 'content-type': 'application/json' },
    body: `{"batch":${batchJson}}`,
  });
}

describe('inputs the database cannot store as sent', () => {
  it('a gateway call with an unpaired surrogate or a 300-deep value is recorded, and so are the calls after it', async () => {
    // 300 levels: past what a record stores (64, kept as a note), within what a request may nest (512).
    const calls = [
      { traceId: 'poison-surrogate', extra: '"lone \\ud800 surrogate and \\u0000"' },
      { traceId: 'poison-deep', extra: deeplyNested(300) },
      { traceId: 'after-poison', extra: '"plain"' },
    ];
    const answers = [];
    for (const call of calls) answers.push(await chatWith(call.traceId, call.extra));
    const recorded = [];
    for (const call of calls) recorded.push(await isRecorded(call.traceId));
    recordFaultRow({
      case: 'gateway calls with unstorable payloads',
      sent: calls.length,
      acknowledged: answers.filter((answer) => answer.status === 200).length,
      found: recorded.filter(Boolean).length,
      notes: 'unpaired surrogate, U+0000, 300-deep nesting; then a plain call',
    });
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    expect(recorded).toEqual([true, true, true]);
  });

  it('a gateway call nested 5,000 deep is refused with a 400 naming the limit, and the next call is recorded', async () => {
    const refused = await chatWith('too-deep', deeplyNested(5_000));
    expect(refused.status).toBe(400);
    expect(refused.body).toContain('nested deeper than 512 levels');
    await chatWith('after-too-deep', '"plain"');
    expect(await isRecorded('after-too-deep')).toBe(true);
  });

  it('an ingest event the database cannot hold is refused alone (400 in the 207), its neighbours stored', async () => {
    const event = (id: string, body: string) =>
      `{"id":"${id}","type":"trace-create","timestamp":"${now()}","body":${body}}`;
    const batch = [
      event('nul-id', '{"id":"trace\\u0000nul"}'),
      event('surrogate-id', '{"id":"trace\\udc00lone"}'),
      event('deep-metadata', `{"id":"deep","metadata":${deeplyNested(100)}}`),
      event('surrogate-name', '{"id":"named","name":"lone \\ud800 in a name"}'),
      event('neighbour', '{"id":"neighbour"}'),
    ];
    const answer = await ingest(`[${batch.join(',')}]`);
    expect(answer.status).toBe(207);
    const body = JSON.parse(answer.body) as {
      successes: Array<{ id: string }>;
      errors: Array<{ id: string; status: number }>;
    };
    expect(body.errors.map((error) => [error.id, error.status])).toEqual([
      ['nul-id', 400],
      ['surrogate-id', 400],
      ['deep-metadata', 400],
    ]);
    expect(body.successes.map((success) => success.id)).toEqual(['surrogate-name', 'neighbour']);
    const stored = await admin.request('GET', '/api/traces/neighbour');
    recordFaultRow({
      case: 'ingest events with unstorable values',
      sent: batch.length,
      acknowledged: body.successes.length,
      found:
        (stored.status === 200 ? 1 : 0) + ((await admin.request('GET', '/api/traces/named')).status === 200 ? 1 : 0),
      notes: `refused alone: ${body.errors.map((error) => error.id).join(', ')}`,
    });
    expect(stored.status).toBe(200);
  });

  it('a query filter holding U+0000 is a 400, not a 500', async () => {
    const answer = await admin.request('GET', '/api/traces?model=%00&name=a%00b');
    expect(answer.status).toBe(400);
  });
});
