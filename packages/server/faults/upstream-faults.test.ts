import OpenAI, { APIError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminClient, prepareOrg } from './admin-client.js';
import { startFaultStack } from './fault-stack.js';
import { recordFaultRow } from './fault-table.js';
import { freePort } from './free-port.js';
import { type ScriptedUpstream, startScriptedUpstream, UPSTREAM_REPLY } from './scripted-upstream.js';
import type { ServerProcess } from './server-process.js';
import { type ClientResult, type Recorded, type RecordedAttempt, UPSTREAM_SCENARIOS } from './upstream-scenarios.js';
import { waitFor } from './wait-for.js';

const CALLS_PER_SCENARIO = 2;

let upstream: ScriptedUpstream;
let server: ServerProcess;
let admin: AdminClient;
let openai: OpenAI;
let callCounter = 0;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  upstream = await startScriptedUpstream();
  cleanups.push(() => upstream.close());
  // Two providers on the same upstream, so a route can fall back from one to the other.
  ({ server, admin } = await startFaultStack(cleanups, {
    env: {
      OPENAI_API_KEY: upstream.apiKey,
      OPENAI_BASE_URL: upstream.baseUrl,
      GROQ_API_KEY: upstream.apiKey,
      GROQ_BASE_URL: upstream.baseUrl,
      // The scripted upstream and the refused provider are on loopback.
      ALLOW_PRIVATE_URLS: 'true',
    },
  }));
  await prepareOrg(admin);
  // "Connection refused": a provider whose address nobody listens on.
  const closedPort = await freePort();
  await admin.expect(201, 'POST', '/api/providers', {
    name: 'refused',
    kind: 'openai-compatible',
    baseUrl: `http://127.0.0.1:${closedPort}/v1`,
    apiKey: 'sk-nobody-home',
  });
  openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: admin.adminKey, maxRetries: 0, timeout: 60_000 });
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function createRoute(body: Record<string, unknown>): Promise<void> {
  await admin.expect(201, 'POST', '/api/routes', body);
}

/** The gateway's record of the call in trace `traceId`, once the batch writer has written it. */
async function recordOf(traceId: string): Promise<Recorded> {
  let found: Recorded | undefined;
  await waitFor(`the record of ${traceId}`, async () => {
    const answer = await admin.request('GET', `/api/traces/${traceId}`);
    const observation = (answer.body as { observations?: Array<Record<string, unknown>> }).observations?.[0];
    if (answer.status !== 200 || !observation) return false;
    const metadata = observation.metadata as { attempts?: RecordedAttempt[] } | null;
    found = {
      attempts: Number(observation.attempts),
      status: String(observation.status),
      statusCode: observation.statusCode as number | null,
      routing: metadata?.attempts ?? [],
    };
    return true;
  });
  return found as Recorded;
}

/** One non-streamed call with the openai client, as an app makes it. */
async function complete(model: string, traceId: string): Promise<ClientResult> {
  try {
    const { data, response } = await openai.chat.completions
      .create(
        { model, messages: [{ role: 'user', content: 'fault suite' }] },
        { headers: { 'x-switchyard-trace-id': traceId } },
      )
      .withResponse();
    return {
      status: response.status,
      attemptsHeader: response.headers.get('x-switchyard-attempts'),
      content: data.choices[0]?.message.content ?? '',
    };
  } catch (error) {
    if (!(error instanceof APIError)) throw error;
    return {
      status: error.status ?? 0,
      attemptsHeader: error.headers?.get('x-switchyard-attempts') ?? null,
      content: '',
      error: error.error,
    };
  }
}

/** A streamed call: the text it got, and whether the stream ended in an error instead of `[DONE]`. */
async function completeStreamed(model: string, traceId: string): Promise<{ text: string; failed: unknown }> {
  let text = '';
  try {
    const stream = await openai.chat.completions.create(
      { model, stream: true, messages: [{ role: 'user', content: 'fault suite' }] },
      { headers: { 'x-switchyard-trace-id': traceId } },
    );
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    return { text, failed: undefined };
  } catch (error) {
    return { text, failed: error };
  }
}

describe('upstream provider failures', () => {
  it.each(UPSTREAM_SCENARIOS)('$name', async (scenario) => {
    if (scenario.route) await createRoute(scenario.route);
    let asConfigured = 0;
    let recordedWell = 0;
    for (let call = 0; call < CALLS_PER_SCENARIO; call++) {
      const traceId = `upstream-${++callCounter}`;
      const result = await complete(scenario.model, traceId);
      const recorded = await recordOf(traceId);
      scenario.check(result, recorded);
      asConfigured += 1;
      if (recorded.attempts === Number(result.attemptsHeader)) recordedWell += 1;
    }
    recordFaultRow({
      case: scenario.name,
      sent: CALLS_PER_SCENARIO,
      acknowledged: asConfigured,
      found: recordedWell,
      notes: 'answered as configured / recorded with every attempt',
    });
  });

  it('a stream cut mid-way ends in an error for the client, never a clean end, and is recorded as failed', async () => {
    let failedCleanly = 0;
    let recordedFailed = 0;
    for (let call = 0; call < CALLS_PER_SCENARIO; call++) {
      const traceId = `upstream-${++callCounter}`;
      const { text, failed } = await completeStreamed('openai/seq-cut-tF', traceId);
      expect(text.length).toBeGreaterThan(0);
      expect(text).not.toBe(UPSTREAM_REPLY);
      expect(failed).toBeInstanceOf(Error);
      failedCleanly += 1;
      const recorded = await recordOf(traceId);
      expect(recorded.status).toBe('error');
      recordedFailed += 1;
    }
    recordFaultRow({
      case: 'stream cut mid-way: client sees an error',
      sent: CALLS_PER_SCENARIO,
      acknowledged: failedCleanly,
      found: recordedFailed,
      notes: 'partial text, then an error (no [DONE]); recorded as error',
    });
  });

  it('a stream cut before its first chunk falls back to the next target', async () => {
    await createRoute({
      alias: 'r-cut-first',
      targets: [{ model: 'openai/seq-cutfirst-tG' }, { model: 'groq/seq-ok-tG' }],
    });
    let answered = 0;
    let recordedWell = 0;
    for (let call = 0; call < CALLS_PER_SCENARIO; call++) {
      const traceId = `upstream-${++callCounter}`;
      const { text, failed } = await completeStreamed('r-cut-first', traceId);
      expect(failed).toBeUndefined();
      expect(text).toBe(UPSTREAM_REPLY);
      answered += 1;
      const recorded = await recordOf(traceId);
      expect(recorded).toMatchObject({ attempts: 2, status: 'success' });
      recordedWell += 1;
    }
    recordFaultRow({
      case: 'stream cut before first chunk: fallback',
      sent: CALLS_PER_SCENARIO,
      acknowledged: answered,
      found: recordedWell,
      notes: 'full answer from the fallback; 2 attempts recorded',
    });
  });

  it('tried every scripted target as often as the routes say, and the server is still up', async () => {
    // 3 tries of the failing target per call (1 + 2 retries), then the fallback once.
    expect(upstream.hits('seq-500-tA')).toBe(3 * CALLS_PER_SCENARIO);
    expect(upstream.hits('seq-ok-tA')).toBe(CALLS_PER_SCENARIO);
    expect(upstream.hits('seq-429r1-ok-tB')).toBe(2 * CALLS_PER_SCENARIO);
    expect(upstream.hits('seq-429r7-tC')).toBe(CALLS_PER_SCENARIO);
    expect(upstream.hits('seq-503-tH')).toBe(2 * CALLS_PER_SCENARIO);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });
});
