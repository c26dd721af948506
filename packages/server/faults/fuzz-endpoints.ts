import { randomUUID } from 'node:crypto';

/** What the fuzzer needs of the server under test. */
export type FuzzContext = {
  /** A key with the gateway, ingest and admin scopes. */
  apiKey: string;
  /** An account that can sign in. */
  login: { email: string; password: string };
};

/** One endpoint: how to call it, a valid body to mutate, and a valid request to interleave. */
export type FuzzEndpoint = {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  /** Whether requests carry the API key (sign-in and sign-up do not). */
  authenticated: boolean;
  /** Bad requests are mutations of this (JSON endpoints), or query strings of these names (GET). */
  validBody?: () => unknown;
  queryNames?: readonly string[];
  otlp?: boolean;
  /** A request that must succeed whatever the fuzzer sends beside it, and the status it must get. */
  valid: () => { method: 'GET' | 'POST'; path: string; body?: unknown; status: number };
};

const now = () => new Date().toISOString();

const chatBody = () => ({ model: 'mock/echo', messages: [{ role: 'user', content: 'hello' }], temperature: 0.5 });
const embeddingsBody = () => ({ model: 'mock/embed', input: ['hello', 'world'], encoding_format: 'float' });
const messagesBody = () => ({ model: 'mock/echo', max_tokens: 32, messages: [{ role: 'user', content: 'hello' }] });

function ingestBody() {
  const id = randomUUID();
  return {
    batch: [
      {
        id: `${id}:t`,
        type: 'trace-create',
        timestamp: now(),
        body: { id, name: 'fuzz', tags: ['a'], metadata: { k: 1 } },
      },
      {
        id: `${id}:o`,
        type: 'observation-create',
        timestamp: now(),
        body: {
          id: `${id}-g`,
          traceId: id,
          type: 'generation',
          model: 'm',
          startTime: now(),
          usage: { inputTokens: 3 },
        },
      },
      {
        id: `${id}:s`,
        type: 'score-create',
        timestamp: now(),
        body: { id: `${id}-s`, traceId: id, name: 'q', value: 1 },
      },
    ],
  };
}

function otlpBody() {
  const nanos = `${BigInt(Date.now()) * 1_000_000n}`;
  return {
    resourceSpans: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'fuzz' } }] },
        scopeSpans: [
          {
            scope: { name: 'fuzz' },
            spans: [
              {
                traceId: randomUUID().replaceAll('-', ''),
                spanId: randomUUID().replaceAll('-', '').slice(0, 16),
                name: 'chat gpt-4o-mini',
                kind: 3,
                startTimeUnixNano: nanos,
                endTimeUnixNano: nanos,
                attributes: [
                  { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o-mini' } },
                  { key: 'gen_ai.usage.input_tokens', value: { intValue: '12' } },
                ],
                status: { code: 1 },
              },
            ],
          },
        ],
      },
    ],
  };
}

let unique = 0;
const next = () => `${Date.now().toString(36)}-${++unique}`;

export function fuzzEndpoints(context: FuzzContext): FuzzEndpoint[] {
  const gateway = (name: string, path: string, body: () => unknown): FuzzEndpoint => ({
    name,
    method: 'POST',
    path,
    authenticated: true,
    validBody: body,
    valid: () => ({ method: 'POST', path, body: body(), status: 200 }),
  });
  return [
    gateway('POST /v1/chat/completions', '/v1/chat/completions', chatBody),
    gateway('POST /v1/embeddings', '/v1/embeddings', embeddingsBody),
    gateway('POST /v1/messages', '/v1/messages', messagesBody),
    {
      name: 'POST /v1/ingest',
      method: 'POST',
      path: '/v1/ingest',
      authenticated: true,
      validBody: ingestBody,
      valid: () => ({ method: 'POST', path: '/v1/ingest', body: ingestBody(), status: 207 }),
    },
    {
      name: 'POST /otel/v1/traces',
      method: 'POST',
      path: '/otel/v1/traces',
      authenticated: true,
      otlp: true,
      validBody: otlpBody,
      valid: () => ({ method: 'POST', path: '/otel/v1/traces', body: otlpBody(), status: 200 }),
    },
    {
      name: 'POST /api/auth/login',
      method: 'POST',
      path: '/api/auth/login',
      authenticated: false,
      validBody: () => ({ email: `fuzz-${next()}@example.com`, password: 'not the password at all' }),
      valid: () => ({ method: 'POST', path: '/api/auth/login', body: context.login, status: 200 }),
    },
    {
      name: 'POST /api/auth/signup',
      method: 'POST',
      path: '/api/auth/signup',
      authenticated: false,
      validBody: () => ({ email: `fuzz-${next()}@example.com`, password: 'a long enough password', orgName: 'Fuzz' }),
      valid: () => ({
        method: 'POST',
        path: '/api/auth/signup',
        body: { email: `valid-${next()}@example.com`, password: 'a long enough password', orgName: 'Valid' },
        status: 201,
      }),
    },
    {
      name: 'POST /api/keys',
      method: 'POST',
      path: '/api/keys',
      authenticated: true,
      validBody: () => ({
        name: 'fuzz',
        scopes: ['gateway'],
        requestsPerMinute: 10,
        budgetUsd: 5,
        budgetPeriod: 'day',
      }),
      valid: () => ({ method: 'POST', path: '/api/keys', body: { name: `valid ${next()}` }, status: 201 }),
    },
    {
      name: 'POST /api/routes',
      method: 'POST',
      path: '/api/routes',
      authenticated: true,
      validBody: () => ({
        alias: `fuzz-${next()}`,
        strategy: 'fallback',
        targets: [{ model: 'mock/echo', timeoutMs: 1_000, weight: 1 }],
        retry: { attempts: 1, initialBackoffMs: 10, maxBackoffMs: 100 },
        fallbackOn: [500, 503],
        cache: { enabled: false, ttlSeconds: 60 },
      }),
      valid: () => ({
        method: 'POST',
        path: '/api/routes',
        body: { alias: `valid-${next()}`, targets: [{ model: 'mock/echo' }] },
        status: 201,
      }),
    },
    {
      name: 'POST /api/alerts',
      method: 'POST',
      path: '/api/alerts',
      authenticated: true,
      validBody: () => ({
        name: 'fuzz',
        enabled: false,
        cooldownMinutes: 5,
        condition: { metric: 'error_rate', thresholdPercent: 5, windowHours: 1, minRequests: 10 },
      }),
      valid: () => ({ method: 'GET', path: '/api/alerts', status: 200 }),
    },
    {
      name: 'GET /api/traces?…',
      method: 'GET',
      path: '/api/traces',
      authenticated: true,
      queryNames: [
        'limit',
        'cursor',
        'sort',
        'from',
        'to',
        'model',
        'provider',
        'status',
        'userId',
        'sessionId',
        'tag',
        'keyId',
        'name',
        'minCostUsd',
        'minLatencyMs',
      ],
      valid: () => ({ method: 'GET', path: '/api/traces?limit=5&sort=-startTime', status: 200 }),
    },
  ];
}
