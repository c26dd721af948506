// The per-call cost of admission in one process: `LimitGuard.admit` then `settle` against a real
// Redis, for the checkout at --root (its own source, so main's guard can be measured beside ours).
//   node --conditions=source --import tsx bench/limits/admission.ts --root=<main> --root=<branch>
// Prints JSON, one entry per root: median microseconds per admitted-and-settled call for a key with
// no limits, with per-minute limits, and with per-minute limits and a daily budget.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Registry } from 'prom-client';

const roots = process.argv.filter((arg) => arg.startsWith('--root=')).map((arg) => arg.slice('--root='.length));
const CALLS = Number(process.env.ADMISSION_CALLS ?? 500);
const ROUNDS = Number(process.env.ADMISSION_ROUNDS ?? 9);
const noLimits = {
  requestsPerMinute: null,
  tokensPerMinute: null,
  monthlySpendCapUsd: null,
  maxConcurrentRequests: null,
  ingestEventsPerMinute: null,
};
const rates = { requestsPerMinute: 1_000_000_000, tokensPerMinute: 1_000_000_000 };
const KINDS = {
  none: {},
  rates,
  budget: { ...rates, budgetUsd: 1_000_000, budgetPeriod: 'day' },
} as const;
const body = { model: 'house/bench', messages: [{ role: 'user', content: 'benchmark' }], max_tokens: 10 };

function principalWith(key: Record<string, unknown>) {
  const orgId = randomUUID();
  const fields = { id: randomUUID(), orgId, name: 'bench', scopes: ['gateway'], expiresAt: null, logPayloads: false };
  const limits = { requestsPerMinute: null, tokensPerMinute: null, budgetUsd: null, budgetPeriod: null };
  return { kind: 'apiKey', orgId, role: 'member', key: { ...fields, ...limits, orgLimits: noLimits, ...key } };
}

/** One checkout's guard on its own Redis prefix, and a function that admits and settles one call. */
async function guardOf(root: string) {
  const source = (path: string) => import(join(root, 'packages/server/src', path));
  // Checkouts from before the domain layout (issue 12) keep these at the gateway's top level.
  const fromEither = (path: string, before: string) => source(path).catch(() => source(before));
  const { LimitGuard } = await fromEither('gateway/limits/limit-guard.ts', 'gateway/limit-guard.ts');
  const { createRedisKv } = await source('kv/redis.ts');
  const { openDatabase } = await source('db/client.ts');
  // Only this branch estimates a call's cost before admitting it; main's guard takes the principal alone.
  const estimator = await fromEither('gateway/limits/cost-estimate.ts', 'gateway/cost-estimate.ts').catch(
    () => undefined,
  );
  const database = await openDatabase({ url: process.env.DATABASE_URL, poolMax: 2 });
  const kv = createRedisKv({
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    prefix: `sybench-${randomUUID()}:`,
  });
  await kv.whenConnected(5_000);
  const guard = new LimitGuard({
    kv,
    db: database.db,
    clock: { now: () => Date.now() },
    log: { warn: () => {} },
    registry: new Registry(),
  });
  const cost = estimator?.createCostEstimator({
    endpoint: 'chat.completions',
    body,
    bodyBytes: undefined,
    targets: [{ model: 'house/bench', sentMaxOutputTokens: undefined }],
    priceOf: () => ({ pattern: /^house\//, input: 100, output: 280, asOf: '2026-01-01' }),
  });
  const principals = Object.fromEntries(Object.entries(KINDS).map(([kind, key]) => [kind, principalWith(key)]));
  return {
    root,
    async microsPerCall(kind: keyof typeof KINDS): Promise<number> {
      const principal = principals[kind];
      // Both guards' arguments at once: main's reads the principal's fields, ours { principal, cost }.
      const argument = { ...principal, principal, cost };
      const started = performance.now();
      for (let call = 0; call < CALLS; call++)
        await (await guard.admit(argument)).settle({ tokens: 22, costUsd: 0.004 });
      return ((performance.now() - started) / CALLS) * 1_000;
    },
    close: async () => {
      await kv.close();
      await database.close();
    },
  };
}

const guards = await Promise.all(roots.map(guardOf));
const samples = new Map<string, number[]>();
// Rounds interleave checkouts and kinds, so the machine's other load falls on all of them alike.
for (let round = 0; round <= ROUNDS; round++) {
  for (const guard of guards) {
    for (const kind of Object.keys(KINDS) as Array<keyof typeof KINDS>) {
      const micros = await guard.microsPerCall(kind);
      // Round 0 warms up (the JIT, the connections, the counters' first seeding).
      if (round > 0) samples.set(`${guard.root} ${kind}`, [...(samples.get(`${guard.root} ${kind}`) ?? []), micros]);
    }
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const result = guards.map((guard) =>
  Object.fromEntries(Object.keys(KINDS).map((kind) => [kind, median(samples.get(`${guard.root} ${kind}`) ?? [])])),
);
process.stdout.write(`${JSON.stringify(result)}\n`);
for (const guard of guards) await guard.close();
