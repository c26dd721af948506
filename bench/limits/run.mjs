// What the gateway's limits promise under concurrency, measured on real replicas: 3 `switchyard start`
// processes over one Postgres database and one Redis, an org's own provider on a fake upstream on
// loopback. With --before=<checkout>, the same probes run first on that checkout (e.g. main, built
// and installed), so the tables compare both in one run.
//   npm run bench:limits                          (writes bench/limits/results.md)
//   npm run bench:limits -- --before=/tmp/main-checkout
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, children, log, root, start, waitFor } from '../lib.mjs';
import { houseOrg, startCluster } from './cluster.mjs';
import { minuteBoundary, overshoot } from './probes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const before = process.argv.find((arg) => arg.startsWith('--before='))?.split('=')[1];
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/switchyard_bench';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const ADMISSION_ROUNDS = Number(process.env.ADMISSION_ROUNDS ?? 9);
const REPLICA_PORTS = [9201, 9202, 9203];
const UPSTREAM_PORT = 9204;
const CONCURRENCY = [1, 6, 60];
const RPM = 100;

// As in the issue: $0.10 a day at $0.004 a call is 25 calls. The fake upstream answers 12 input and
// 10 output tokens: at $100 and $280 per million that is $0.0012 + $0.0028.
const PRICE = { input: 100, output: 280 };
const CALL_USD = 0.004;
const BUDGET_USD = 0.1;
const body = { model: 'house/bench', messages: [{ role: 'user', content: 'benchmark' }], max_tokens: 10 };

async function measure({ name, checkout }) {
  log(`${name}: starting 3 replicas of ${checkout}`);
  const cluster = await startCluster({
    root: checkout,
    ports: REPLICA_PORTS,
    databaseUrl: DATABASE_URL,
    redisUrl: REDIS_URL,
  });
  try {
    const newKey = await houseOrg({
      url: cluster.urls[0],
      db: cluster.db,
      upstreamUrl: `http://127.0.0.1:${UPSTREAM_PORT}/v1`,
      price: PRICE,
    });
    const budgets = [];
    for (const concurrency of CONCURRENCY) {
      const key = await newKey({ budgetUsd: BUDGET_USD, budgetPeriod: 'day' });
      log(`${name}: budget at concurrency ${concurrency}`);
      const counts = await overshoot({ ...cluster, secret: key.secret, keyId: key.id, concurrency, body });
      budgets.push({ concurrency, ...counts });
    }
    log(`${name}: ${2 * RPM} requests around a minute boundary (waits for it)`);
    const rpmKey = await newKey({ requestsPerMinute: RPM });
    const boundary = await minuteBoundary({ urls: cluster.urls, secret: rpmKey.secret, perSide: RPM });
    return { name, budgets, boundary };
  } finally {
    await cluster.stop();
  }
}

/** The per-call admission cost of each checkout, measured in one process (see admission.ts). */
function admissionCosts(checkouts) {
  const result = spawnSync(
    process.execPath,
    [
      '--conditions=source',
      '--import',
      'tsx',
      join(here, 'admission.ts'),
      ...checkouts.map((path) => `--root=${path}`),
    ],
    {
      env: { ...process.env, DATABASE_URL, REDIS_URL, ADMISSION_ROUNDS: String(ADMISSION_ROUNDS) },
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`admission.ts failed:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

function markdown(results) {
  const budgetRows = results.flatMap((result) =>
    result.budgets.map((row) => {
      const share = `${((row.spendUsd / BUDGET_USD) * 100).toFixed(0)}%`;
      const overshootCalls = ((row.spendUsd - BUDGET_USD) / CALL_USD).toFixed(1);
      return `| ${row.concurrency} | ${result.name} | ${row.admitted} | ${row.refused} | $${row.spendUsd.toFixed(4)} | ${share} | ${overshootCalls} |`;
    }),
  );
  const boundaryRows = results.map((result) => {
    const total = result.boundary.before + result.boundary.after;
    return `| ${result.name} | ${result.boundary.before} | ${result.boundary.after} | ${total} | ${(total / RPM).toFixed(2)} |`;
  });
  const admissionRows = results.map((result) => {
    const { none, rates, budget } = result.admission;
    return `| ${result.name} | ${none.toFixed(0)} | ${rates.toFixed(0)} | ${budget.toFixed(0)} | ${(budget - rates).toFixed(0)} |`;
  });
  return `# Limits under concurrency: budgets, requests per minute, admission cost

Measured by \`npm run bench:limits${before ? ' -- --before=<main checkout>' : ''}\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}.
Three \`switchyard start\` replicas over one Postgres server and one Redis on this machine; calls go round-robin to the replicas; the org's own provider \`house\` is \`bench/gateway/fake-upstream.mjs\` on loopback (200 ms to answer), priced by the org at $${PRICE.input} / $${PRICE.output} per million input / output tokens.${before ? ' "before" is main\'s code, "after" this branch, in the same run.' : ''}

**Budget overshoot.** A key with a $${BUDGET_USD.toFixed(2)} daily budget; each call costs $${CALL_USD} (12 + 10 tokens), so ${BUDGET_USD / CALL_USD} calls is the ideal. Each client calls (with \`max_tokens: 10\`) until it is refused; rounds repeat until one admits nothing. Spend is what the database recorded.

| concurrent clients | code | admitted | refused (402) | recorded spend | of budget | overshoot in calls |
| ---: | --- | ---: | ---: | ---: | ---: | ---: |
${budgetRows.join('\n')}

**Requests per minute at a minute boundary.** A key limited to ${RPM} requests a minute sends ${RPM} requests at once at :59.5 and ${RPM} more at :00.0 (the second burst leaves on time, answered or not).

| code | passed of the burst at :59.5 | passed of the burst at :00.0 | passed in total | ratio to the limit |
| --- | ---: | ---: | ---: | ---: |
${boundaryRows.join('\n')}

**What admission costs per call** (\`bench/limits/admission.ts\`: \`LimitGuard.admit\` then \`settle\` in one process against the same Redis, each checkout's own source, rounds interleaving checkouts and kinds of key; medians of ${ADMISSION_ROUNDS} rounds of 500 calls).

| code | no limits, µs | per-minute limits (key rpm + tpm), µs | per-minute limits + daily budget, µs | of which the budget, µs |
| --- | ---: | ---: | ---: | ---: |
${admissionRows.join('\n')}

How to read it: the overshoot is (recorded spend − budget) / cost of one call; a negative figure is budget left unspent because the last calls' worst case (their bytes, or their tokens counted with a margin, plus \`max_tokens\`) no longer fitted. The admission figures include the Redis round trips each limit needs, at admission and at settlement.
`;
}

async function main() {
  build();
  start('fake upstream', [
    join(root, 'bench/gateway/fake-upstream.mjs'),
    `--port=${UPSTREAM_PORT}`,
    '--latency-ms=200',
  ]);
  await waitFor(`http://127.0.0.1:${UPSTREAM_PORT}/v1/models`);
  const results = [];
  if (before) results.push(await measure({ name: 'before', checkout: before }));
  results.push(await measure({ name: before ? 'after' : 'this code', checkout: root }));
  log('admission cost per call');
  const costs = admissionCosts(before ? [before, root] : [root]);
  results.forEach((result, index) => {
    result.admission = costs[index];
  });
  const text = markdown(results);
  writeFileSync(join(here, 'results.md'), text);
  process.stdout.write(`${text}\n`);
}

main()
  .catch((error) => {
    log(error.stack ?? String(error));
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) child.kill('SIGTERM');
  });
