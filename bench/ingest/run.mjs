// Ingest throughput, measured in one run on this machine's Postgres: batches posted concurrently to
// /v1/ingest (each answer = committed), against raw COPY of the same rows into copies of the same
// tables, in the same database.
//   npm run bench:ingest                  (writes bench/ingest/results.md)
//   DURATION_S=5 CONCURRENCY=16 BATCH=500 npm run bench:ingest
//   PROFILE_DIR=/tmp/ingest-profile npm run bench:ingest   (the server's --cpu-prof, written as it stops)
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Pool } from 'undici';
import { cpuSecondsOf, postgresCpuSeconds } from '../cpu.mjs';
import { build, log, percentile, setUpPostgresOrg, startSwitchyard, stopChildren } from '../lib.mjs';
import { rawCopies } from './raw-copy.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DURATION_S = Number(process.env.DURATION_S ?? 15);
const WARMUP_S = Number(process.env.WARMUP_S ?? 3);
/** Two shapes of load: big batches from few connections, and SDK-sized batches from many (group commit at work). */
const SCENARIOS = [
  { batch: Number(process.env.BATCH ?? 500), concurrency: Number(process.env.CONCURRENCY ?? 16) },
  { batch: 100, concurrency: 64 },
];
const COPY_ROWS = Number(process.env.COPY_ROWS ?? 200_000);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/switchyard_bench_ingest';
const PORT = 9111;
const PROFILE_DIR = process.env.PROFILE_DIR;

const PROMPT = [{ role: 'user', content: 'Summarise the order history of customer 4411 in two sentences.' }];
const COMPLETION = { role: 'assistant', content: 'The customer ordered twice in March; both orders shipped on time.' };

/** A batch of `size` events (half trace-create, half a generation's observation-create), ids unique per `prefix`. */
function batchBody(prefix, size) {
  const now = new Date();
  const start = new Date(now.getTime() - 1_200).toISOString();
  const end = now.toISOString();
  const events = [];
  for (let index = 0; index < size / 2; index++) {
    const traceId = `${prefix}-${index}`;
    events.push(
      {
        id: `${traceId}-t`,
        type: 'trace-create',
        timestamp: end,
        body: { id: traceId, name: 'chat', userId: 'bench' },
      },
      {
        id: `${traceId}-o`,
        type: 'observation-create',
        timestamp: end,
        body: {
          id: `${traceId}-g`,
          traceId,
          type: 'generation',
          name: 'chat.completions',
          provider: 'openai',
          model: 'gpt-4o-mini',
          startTime: start,
          completionStartTime: start,
          endTime: end,
          usage: { inputTokens: 120, outputTokens: 40 },
          input: PROMPT,
          output: COMPLETION,
        },
      },
    );
  }
  return JSON.stringify({ batch: events });
}

/** Posts batches from `concurrency` loops for `seconds`; counts events the server acknowledged. */
async function load({ pool, key, seconds, runId, batch, concurrency }) {
  const deadline = performance.now() + seconds * 1000;
  let acked = 0;
  let failedRequests = 0;
  let sequence = 0;
  const latencies = [];
  const loop = async (worker) => {
    while (performance.now() < deadline) {
      const body = batchBody(`${runId}-${worker}-${sequence++}`, batch);
      const started = performance.now();
      const response = await pool.request({
        method: 'POST',
        path: '/v1/ingest',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body,
      });
      const answer = await response.body.json();
      latencies.push(performance.now() - started);
      if (response.statusCode !== 207) {
        failedRequests += 1;
        continue;
      }
      acked += answer.successes.length;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, worker) => loop(worker)));
  const elapsedS = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    acked,
    eventsPerS: acked / elapsedS,
    failedRequests,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
  };
}

/** Where the CPU went while `work` ran: the server, Postgres and this load generator, in seconds. */
async function measureCpu(serverPid, work) {
  const before = { server: cpuSecondsOf(serverPid), postgres: postgresCpuSeconds(), load: process.cpuUsage() };
  const result = await work();
  const load = process.cpuUsage(before.load);
  return {
    result,
    cpu: {
      server: cpuSecondsOf(serverPid) - before.server,
      postgres: postgresCpuSeconds() - before.postgres,
      load: (load.user + load.system) / 1e6,
    },
  };
}

async function countRows(orgId) {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const traces = await client.query('select count(*)::int as n from traces where org_id = $1', [orgId]);
    const observations = await client.query('select count(*)::int as n from observations where org_id = $1', [orgId]);
    return traces.rows[0].n + observations.rows[0].n;
  } finally {
    await client.end();
  }
}

async function main() {
  build();
  try {
    const { env, orgId, key } = await setUpPostgresOrg({ databaseUrl: DATABASE_URL, port: PORT, scopes: 'ingest' });
    const server = await startSwitchyard(env, PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []);

    const runs = [];
    let ackedInAll = 0;
    for (const [index, scenario] of SCENARIOS.entries()) {
      const pool = new Pool(`http://127.0.0.1:${PORT}`, { connections: scenario.concurrency, pipelining: 1 });
      const runId = `${Date.now().toString(36)}-${index}`;
      const shape = { pool, key, ...scenario };
      log(`warming up for ${WARMUP_S} s…`);
      const warm = await load({ ...shape, seconds: WARMUP_S, runId: `${runId}-warm` });
      log(`posting ${scenario.batch}-event batches from ${scenario.concurrency} connections for ${DURATION_S} s…`);
      const { result, cpu } = await measureCpu(server.pid, () => load({ ...shape, seconds: DURATION_S, runId }));
      await pool.close();
      ackedInAll += warm.acked + result.acked;
      runs.push({ ...scenario, ...result, cpu });
    }
    const stored = await countRows(orgId);
    log(`raw COPY of ${COPY_ROWS} rows, best of 3, without and with their envelopes…`);
    const copyOptions = { databaseUrl: DATABASE_URL, orgId, rows: COPY_ROWS, prompt: PROMPT, completion: COMPLETION };
    const { rows: copy, withEnvelopes: copyWithEnvelopes } = await rawCopies(copyOptions);

    const rate = (value) => Math.round(value).toLocaleString('en-US');
    const report = `# Ingest benchmark

Measured by \`npm run bench:ingest\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model.trim()}),
Node ${process.version}, PostgreSQL on loopback. The load generator, the server and Postgres share the machine.
Each batch is half \`trace-create\`, half generation \`observation-create\` (with prompt and completion), as
the SDK sends them; each scenario runs ${DURATION_S} s after ${WARMUP_S} s of warm-up. An event counts once the
server answered 207 with it in \`successes\`, which it does only after the transaction holding it (and its
rollups) committed. Raw \`COPY\` writes the same rows (a trace and a generation per call) into copies of
the tables with the same indexes, in one session, in the same run, ${COPY_ROWS.toLocaleString('en-US')} rows in one
transaction, each try after a \`CHECKPOINT\`, the fastest of 3 tries (taking turns with the second COPY). An acknowledged event stores its row and its envelope (the
\`ingest_events\` row that makes a resent event count once): the second COPY writes both, which is
the most any design keeping exactly-once could reach with no work of its own.

| load | acknowledged events/s | ÷ raw COPY (target ≥ 0.5) | ÷ COPY of rows + envelopes | request p50 / p99 | failed requests |
| --- | ---: | ---: | ---: | ---: | ---: |
${runs.map((run) => `| ${run.batch}-event batches, ${run.concurrency} connections | ${rate(run.eventsPerS)} | ${(run.eventsPerS / copy.rowsPerS).toFixed(2)} | ${(run.eventsPerS / copyWithEnvelopes.rowsPerS).toFixed(2)} | ${run.p50.toFixed(0)} / ${run.p99.toFixed(0)} ms | ${run.failedRequests} |`).join('\n')}
| raw \`COPY\`, rows/s | ${rate(copy.rowsPerS)} | 1.00 | | | |
| raw \`COPY\` of each row and its envelope, events/s | ${rate(copyWithEnvelopes.rowsPerS)} | ${(copyWithEnvelopes.rowsPerS / copy.rowsPerS).toFixed(2)} | 1.00 | | |

Where the CPU went in each measured run (${cpus().length} cores × ${DURATION_S} s = ${cpus().length * DURATION_S} CPU seconds available), per acknowledged event:

| load | server | Postgres | load generator | all, share of the machine |
| --- | ---: | ---: | ---: | ---: |
| raw \`COPY\` (per row; its text was built before the clock started) | — | ${((copy.postgresCpuS / copy.rows) * 1e6).toFixed(0)} µs | — | |
| raw \`COPY\` of rows + envelopes (per event) | — | ${((copyWithEnvelopes.postgresCpuS / copyWithEnvelopes.rows) * 1e6).toFixed(0)} µs | — | |
${runs
  .map((run) => {
    const perEvent = (seconds) => `${((seconds / run.acked) * 1e6).toFixed(0)} µs`;
    const all = run.cpu.server + run.cpu.postgres + run.cpu.load;
    return `| ${run.batch}-event batches | ${perEvent(run.cpu.server)} | ${perEvent(run.cpu.postgres)} | ${perEvent(run.cpu.load)} | ${perEvent(all)}, ${Math.round((all / (cpus().length * DURATION_S)) * 100)}% |`;
  })
  .join('\n')}

Acknowledged over every run (warm-ups included): ${ackedInAll.toLocaleString('en-US')} events; rows of the bench org in the
database afterwards: ${stored.toLocaleString('en-US')} (one per event); lost: ${(ackedInAll - stored).toLocaleString('en-US')}.
`;
    process.stdout.write(report);
    writeFileSync(join(here, 'results.md'), report);
    if (PROFILE_DIR) {
      const exited = once(server, 'exit');
      server.kill('SIGTERM');
      await exited;
      log(`the server's CPU profile is in ${PROFILE_DIR}`);
    }
  } finally {
    stopChildren();
  }
}

await main();
