import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdminClient, prepareOrg } from './admin-client.js';
import { startFaultStack } from './fault-stack.js';
import { FAULTS_OUTPUT_DIR, recordFaultRow } from './fault-table.js';
import { type FuzzContext, type FuzzEndpoint, fuzzEndpoints } from './fuzz-endpoints.js';
import { type FuzzRequest, mutateJson, mutateQuery } from './fuzz-mutations.js';
import { metricValue, scrapeMetrics } from './prometheus-text.js';
import { type RawAnswer, rawRequest } from './raw-request.js';
import { SeededRandom } from './seeded-random.js';
import type { ServerProcess } from './server-process.js';
import { waitFor } from './wait-for.js';

const BAD_REQUESTS_PER_ENDPOINT = 1_000;
const VALID_EVERY = 50;
const CONCURRENCY = 4;
// Change it to explore; keep the one a failure was found with to replay it.
const SEED = 20_260_521;
// The fuzzer's own address (the server trusts x-forwarded-for here): the sign-in limiter counts it,
// while each valid request comes from an address of its own, as other users would.
const FUZZER_ADDRESS = '203.0.113.66';

let server: ServerProcess;
let context: FuzzContext;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  let admin: AdminClient;
  // Sign-up is fuzzed too, and its valid request must succeed: the server is open to sign-up.
  ({ server, admin } = await startFaultStack(cleanups, { env: { TRUST_PROXY: 'true', SIGNUP: 'open' } }));
  await prepareOrg(admin);
  const email = server.output().match(/Login\s+(\S+)/)?.[1] ?? '';
  const password = server.output().match(/Password\s+(\S+)/)?.[1] ?? '';
  context = { apiKey: admin.adminKey, login: { email, password } };
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

/** Some requests go wrong before the body: a bad key, a header too large to read. */
function badHeaders(random: SeededRandom): FuzzRequest | undefined {
  if (!random.chance(0.03)) return undefined;
  const authorization = random.pick([
    'Bearer',
    'Bearer sy-',
    'Basic Zm9vOmJhcg==',
    `Bearer sy-${random.string(40, 'abcdefghijklmnopqrstuvwxyz0123456789')}`,
    `Bearer ${'x'.repeat(20_000)}`,
  ]);
  return {
    mutation: `authorization ${authorization.slice(0, 24)}…`,
    headers: { authorization, 'content-type': 'application/json' },
    body: '{}',
    mayBeValid: false,
  };
}

function badRequest(random: SeededRandom, endpoint: FuzzEndpoint): FuzzRequest {
  const headerProblem = endpoint.authenticated ? badHeaders(random) : undefined;
  if (headerProblem) return headerProblem;
  if (endpoint.queryNames) return mutateQuery(random, endpoint.queryNames);
  return mutateJson(random, endpoint.validBody?.() as never, { otlp: endpoint.otlp });
}

type Failure = { request: string; answer: string };

async function inPool<TItem>(items: TItem[], concurrency: number, run: (item: TItem) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await run(items[next++] as TItem);
    }),
  );
}

/** Makes one gateway call in its own trace and waits (a hang guard) for its record to be written. */
async function gatewayCallIsRecorded(traceId: string): Promise<boolean> {
  const call = await rawRequest({
    url: `${server.url}/v1/chat/completions`,
    method: 'POST',
    headers: {
      authorization: `Bearer ${context.apiKey}`,
      'content-type': 'application/json',
      'x-switchyard-trace-id': traceId,
    },
    body: JSON.stringify({ model: 'mock/echo', messages: [{ role: 'user', content: 'still recording?' }] }),
  });
  if (call.status !== 200) return false;
  return waitFor(
    `the record of ${traceId}`,
    async () => {
      const answer = await rawRequest({
        url: `${server.url}/api/traces/${traceId}`,
        method: 'GET',
        headers: { authorization: `Bearer ${context.apiKey}` },
      });
      return answer.status === 200;
    },
    15_000,
  ).then(
    () => true,
    () => false,
  );
}

/** Every failure of an endpoint, for the reader of a red run (test-output/faults/fuzz-*.json). */
function writeFailures(endpointName: string, failures: Failure[]): void {
  const file = join(FAULTS_OUTPUT_DIR, `fuzz-${endpointName.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.json`);
  if (failures.length) writeFileSync(file, JSON.stringify(failures, null, 2));
  else rmSync(file, { force: true });
}

const describeAnswer = (answer: RawAnswer) => `${answer.status} ${answer.body.slice(0, 160)}`;

describe('fuzzing every endpoint with 1,000 bad requests', () => {
  it.each(
    fuzzEndpoints({
      get apiKey() {
        return context.apiKey;
      },
      get login() {
        return context.login;
      },
    }),
  )('$name answers only 4xx, never crashes, and serves valid requests beside them', async (endpoint) => {
    if (endpoint.path === '/api/alerts') {
      const probe = await rawRequest({
        url: `${server.url}/api/alerts`,
        method: 'GET',
        headers: { authorization: `Bearer ${context.apiKey}` },
      });
      if (probe.status === 404) {
        recordFaultRow({
          case: `fuzz ${endpoint.name}`,
          sent: 0,
          acknowledged: 0,
          found: 0,
          notes: 'not in this build',
        });
        return;
      }
    }
    const random = new SeededRandom(SEED + endpoint.name.length * 7919 + endpoint.path.charCodeAt(5));
    const auth: Record<string, string> = endpoint.authenticated ? { authorization: `Bearer ${context.apiKey}` } : {};
    type Job = { kind: 'bad'; request: FuzzRequest } | { kind: 'valid'; index: number };
    const jobs: Job[] = [];
    for (let index = 0; index < BAD_REQUESTS_PER_ENDPOINT; index++) {
      jobs.push({ kind: 'bad', request: badRequest(random, endpoint) });
      if (index % VALID_EVERY === VALID_EVERY / 2) jobs.push({ kind: 'valid', index });
    }

    const statuses: Record<string, number> = {};
    const failures: Failure[] = [];
    let validSent = 0;
    let validServed = 0;
    await inPool(jobs, CONCURRENCY, async (job) => {
      if (job.kind === 'valid') {
        validSent += 1;
        const valid = endpoint.valid();
        const answer = await rawRequest({
          url: `${server.url}${valid.path}`,
          method: valid.method,
          headers: {
            ...auth,
            'x-forwarded-for': `198.51.100.${job.index % 250}`,
            ...(valid.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: valid.body === undefined ? undefined : JSON.stringify(valid.body),
        });
        if (answer.status === valid.status) validServed += 1;
        else failures.push({ request: `valid ${valid.method} ${valid.path}`, answer: describeAnswer(answer) });
        return;
      }
      const { request } = job;
      const answer = await rawRequest({
        url: `${server.url}${endpoint.path}${request.query ? `?${request.query}` : ''}`,
        method: endpoint.method,
        headers: { ...auth, 'x-forwarded-for': FUZZER_ADDRESS, ...request.headers },
        body: request.body,
      });
      statuses[String(answer.status)] = (statuses[String(answer.status)] ?? 0) + 1;
      const status = answer.status;
      const clean =
        typeof status === 'number' &&
        (status >= 400 ? status < 500 : request.mayBeValid && status < 300 && status >= 200);
      if (!clean) failures.push({ request: request.mutation, answer: describeAnswer(answer) });
    });

    writeFailures(endpoint.name, failures);
    const health = await rawRequest({ url: `${server.url}/health`, method: 'GET', headers: {} });
    // Nothing the fuzzer sent may stop the gateway's records: a call made now is written.
    const recorded = await gatewayCallIsRecorded(`fuzz-after-${endpoint.path.replace(/\W+/g, '-')}`);
    const dropped = metricValue(await scrapeMetrics(server.url), 'switchyard_records_dropped');
    // The closing gateway call counts as one more valid request: unrecorded, it is lost.
    const sent = BAD_REQUESTS_PER_ENDPOINT + validSent + 1;
    recordFaultRow({
      case: `fuzz ${endpoint.name}`,
      sent,
      acknowledged: sent,
      found: sent - failures.length - (recorded ? 0 : 1),
      notes: `answers ${JSON.stringify(statuses)}; valid ${validServed}/${validSent}; gateway still recording: ${recorded}`,
    });
    expect(failures.slice(0, 10)).toEqual([]);
    expect(validServed).toBe(validSent);
    expect(health.status).toBe(200);
    expect(recorded).toBe(true);
    expect(dropped).toBe(0);
    expect(server.child.exitCode).toBeNull();
  });
});
