// Gateway overhead, measured in one run on this machine: the same fake upstream called directly,
// through Switchyard and through the Portkey gateway, at a fixed rate and at saturation.
//   npm run bench:gateway                       (embedded PGlite; writes bench/gateway/results.md)
//   npm run bench:gateway -- --backend=postgres (a Postgres server, BENCH_DATABASE_URL or the local one;
//                                                writes bench/gateway/results-postgres.md)
//   DURATION_S=5 npm run bench:gateway
//   SLOW_ONLY=1 SLOW_DURATION_S=600 npm run bench:gateway   (only the 1,000 slow streams, that long, RSS per
//                                                minute; writes results-slow-streams[-postgres].md)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { cpuUs } from '../cpu.mjs';
import { build, children, cli, freshPostgres, log, root, serverNodeFlags, start, waitFor } from '../lib.mjs';
import { openLoop } from './open-loop.mjs';
import { rssByMinute, slowStreams } from './slow-streams.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DURATION_S = Number(process.env.DURATION_S ?? 10);
const FIXED_RATE = Number(process.env.FIXED_RATE ?? 1000);
const SLOW_STREAMS = Number(process.env.SLOW_STREAMS ?? 1000);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);
const WARMUP_S = Number(process.env.WARMUP_S ?? 3);
const BACKEND = process.argv.find((arg) => arg.startsWith('--backend='))?.split('=')[1] ?? 'pglite';
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/switchyard_bench';
if (!['pglite', 'postgres'].includes(BACKEND))
  throw new Error(`--backend: "${BACKEND}" is neither pglite nor postgres`);
const PORTS = { upstream: 9101, switchyard: 9102, portkey: 9103, slowUpstream: 9104, bareProxy: 9105 };
const UPSTREAM_KEY = 'sk-bench-upstream';

/** The fake upstream's model `instant` answers at once; `bench` after its 20 ms. */
const bodyFor = (target, { stream, instant }) =>
  JSON.stringify({
    model: `${target.modelPrefix}${instant ? 'instant' : 'bench'}`,
    messages: [{ role: 'user', content: 'benchmark' }],
    stream,
  });

/**
 * A fixed rate runs open-loop (each latency timed from when its request was due, see open-loop.mjs),
 * after a warm-up at the same rate; saturation runs closed-loop with autocannon, `CONNECTIONS` at once.
 * Both answer in one shape: { rps, p50, p99, failures, cpuUsPerCall } (the CPU of the target's own
 * process, all threads, per answered request, over the measured seconds).
 */
async function run(target, scenario) {
  const before = cpuUs(target.pid());
  const result = await load(target, scenario, () => Object.assign(before, cpuUs(target.pid())));
  const used = cpuUs(target.pid()).process - before.process;
  return { ...result, cpuUsPerCall: result.answered ? used / result.answered : undefined };
}

/** Runs the warm-up, calls `measuring()` as the measured run starts, and returns what it measured. */
async function load(target, { stream, instant, rate }, measuring) {
  const headers = { 'content-type': 'application/json', ...target.headers };
  const body = bodyFor(target, { stream, instant });
  if (rate) {
    await openLoop({ url: target.url, headers, body, rate, durationS: WARMUP_S });
    measuring();
    const result = await openLoop({ url: target.url, headers, body, rate, durationS: DURATION_S });
    return { rps: result.rps, p50: result.p50, p99: result.p99, failures: result.failed, answered: result.ok };
  }
  const saturate = (durationS) =>
    new Promise((resolve, reject) =>
      autocannon(
        { url: target.url, method: 'POST', headers, body, duration: durationS, connections: CONNECTIONS },
        (error, result) => (error ? reject(error) : resolve(result)),
      ),
    );
  await saturate(WARMUP_S);
  measuring();
  const result = await saturate(DURATION_S);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.non2xx + result.timeouts,
    answered: result['2xx'],
  };
}

const failed = (result) => result.failures > 0;
const SLOW_DURATION_S = Number(process.env.SLOW_DURATION_S ?? 20);
const SLOW_ONLY = process.env.SLOW_ONLY === '1';

const slowRequest = (pid, key) => ({
  pid,
  key,
  url: `http://127.0.0.1:${PORTS.switchyard}/v1/chat/completions`,
  connections: SLOW_STREAMS,
  durationS: SLOW_DURATION_S,
});

/** SLOW_ONLY=1: only the slow streams, for SLOW_DURATION_S, and their RSS minute by minute. */
async function slowOnly(pid, key) {
  log(`${SLOW_STREAMS} concurrent slow streams → switchyard, ${SLOW_DURATION_S} s`);
  const slow = await slowStreams(slowRequest(pid, key));
  const markdown = `# Gateway benchmark: ${SLOW_STREAMS} slow streams for ${SLOW_DURATION_S} s, ${BACKEND === 'postgres' ? 'Postgres server' : 'embedded PGlite'}

Measured by \`SLOW_ONLY=1 SLOW_DURATION_S=${SLOW_DURATION_S} npm run bench:gateway${BACKEND === 'postgres' ? ' -- --backend=postgres' : ''}\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores, Node ${process.version}, Switchyard started with \`${serverNodeFlags.join(' ') || 'no Node flags'}\`.
${SLOW_STREAMS} connections each hold a stream of 50 chunks 100 ms apart from a fake upstream on loopback and open the next when it ends; every call is recorded as in production.

${slow.completed} streams completed, ${slow.failures} failed. Switchyard's RSS (the whole process${BACKEND === 'pglite' ? ', the embedded database included' : ''}): ${slow.rss.start} MB before, ${slow.rss.peak} MB at peak, ${slow.rss.end} MB at the end.

${rssByMinute(slow.rss.samples)}
`;
  writeFileSync(join(here, `results-slow-streams${BACKEND === 'postgres' ? '-postgres' : ''}.md`), markdown);
  process.stdout.write(`${markdown}\n`);
}

async function main() {
  build();
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
  if (BACKEND === 'postgres') await freshPostgres(DATABASE_URL);
  const switchyardEnv = {
    ...(BACKEND === 'postgres'
      ? { DATABASE_URL, SWITCHYARD_SECRET_KEY: randomBytes(32).toString('base64') }
      : { DATABASE_URL: undefined }),
    DATA_DIR: dataDir,
    PORT: String(PORTS.switchyard),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    OPENAI_API_KEY: UPSTREAM_KEY,
    OPENAI_BASE_URL: `http://127.0.0.1:${PORTS.upstream}/v1`,
    // The slow-stream scenario's upstream, reached as the "groq" provider.
    GROQ_API_KEY: UPSTREAM_KEY,
    GROQ_BASE_URL: `http://127.0.0.1:${PORTS.slowUpstream}/v1`,
    // The bench org is made with the CLI, not by the first start: let it use the server's providers.
    SHARED_PROVIDERS: 'all',
  };
  try {
    const upstream = start('fake upstream', [join(here, 'fake-upstream.mjs'), `--port=${PORTS.upstream}`]);
    start('slow fake upstream', [
      join(here, 'fake-upstream.mjs'),
      `--port=${PORTS.slowUpstream}`,
      '--latency-ms=0',
      '--chunks=50',
      '--chunk-delay-ms=100',
    ]);
    // An enterprise org has no rate limits: the benchmark measures the gateway, not its limiter.
    cli(['migrate'], switchyardEnv);
    cli(['org', 'create', 'Bench', '--plan', 'enterprise'], switchyardEnv);
    const key = cli(['keys', 'create', '--org', 'bench', '--scopes', 'gateway'], switchyardEnv).match(/^sy-\S+$/m)?.[0];
    const switchyard = start(
      'switchyard',
      [...serverNodeFlags, join(root, 'packages/server/bin/switchyard.js'), 'start'],
      switchyardEnv,
    );
    await waitFor(`http://127.0.0.1:${PORTS.switchyard}/ready`);
    if (SLOW_ONLY) return await slowOnly(switchyard.pid, key);
    const portkey = start('portkey', [
      join(root, 'node_modules/@portkey-ai/gateway/build/start-server.js'),
      `--port=${PORTS.portkey}`,
      '--headless',
    ]);
    const bareProxy = start('bare proxy', [
      join(here, 'bare-proxy.mjs'),
      `--port=${PORTS.bareProxy}`,
      `--upstream=http://127.0.0.1:${PORTS.upstream}`,
    ]);
    await waitFor(`http://127.0.0.1:${PORTS.upstream}/v1/models`);
    await waitFor(`http://127.0.0.1:${PORTS.portkey}/`);

    const targets = [
      {
        name: 'direct',
        url: `http://127.0.0.1:${PORTS.upstream}/v1/chat/completions`,
        modelPrefix: '',
        headers: { authorization: `Bearer ${UPSTREAM_KEY}` },
        pid: () => upstream.pid,
      },
      {
        name: 'switchyard',
        url: `http://127.0.0.1:${PORTS.switchyard}/v1/chat/completions`,
        modelPrefix: 'openai/',
        headers: { authorization: `Bearer ${key}` },
        pid: () => switchyard.pid,
      },
      {
        name: 'portkey',
        url: `http://127.0.0.1:${PORTS.portkey}/v1/chat/completions`,
        modelPrefix: '',
        pid: () => portkey.pid,
        headers: {
          authorization: `Bearer ${UPSTREAM_KEY}`,
          'x-portkey-provider': 'openai',
          'x-portkey-custom-host': `http://127.0.0.1:${PORTS.upstream}/v1`,
        },
      },
      {
        name: 'bare Node proxy',
        url: `http://127.0.0.1:${PORTS.bareProxy}/v1/chat/completions`,
        modelPrefix: '',
        headers: { authorization: `Bearer ${UPSTREAM_KEY}` },
        pid: () => bareProxy.pid,
      },
    ];
    const scenarios = [
      { name: `non-stream, ${FIXED_RATE} req/s, instant upstream`, stream: false, instant: true, rate: FIXED_RATE },
      { name: `non-stream, saturation (${CONNECTIONS} connections), instant upstream`, stream: false, instant: true },
      { name: `stream, saturation (${CONNECTIONS} connections), instant upstream`, stream: true, instant: true },
      { name: `non-stream, ${FIXED_RATE} req/s`, stream: false, rate: FIXED_RATE },
      { name: `non-stream, saturation (${CONNECTIONS} connections)`, stream: false },
      { name: `stream, ${FIXED_RATE} req/s`, stream: true, rate: FIXED_RATE },
      { name: `stream, saturation (${CONNECTIONS} connections)`, stream: true },
    ];
    const rows = [];
    for (const scenario of scenarios) {
      const results = {};
      for (const target of targets) {
        log(`${scenario.name} → ${target.name}`);
        results[target.name] = await run(target, scenario);
      }
      for (const target of targets) {
        const result = results[target.name];
        const direct = results.direct;
        rows.push({
          scenario: scenario.name,
          target: target.name,
          rps: result.rps,
          p50: result.p50,
          p99: result.p99,
          addedP50: result.p50 - direct.p50,
          addedP99: result.p99 - direct.p99,
          versusPortkey: results.portkey && !failed(results.portkey) ? result.rps / results.portkey.rps : undefined,
          throughputRatio: result.rps / direct.rps,
          failures: result.failures,
          cpuUsPerCall: result.cpuUsPerCall,
        });
      }
    }
    const table = [
      '| scenario | target | req/s | p50 ms | p99 ms | added p50 ms | added p99 ms | throughput vs direct | vs Portkey | CPU µs per call | failed |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map((row) =>
        row.failures > 0
          ? `| ${row.scenario} | ${row.target} | — | — | — | — | — | — | — | — | ${row.failures} (not comparable) |`
          : `| ${row.scenario} | ${row.target} | ${row.rps.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${row.addedP50.toFixed(1)} | ${row.addedP99.toFixed(1)} | ${row.throughputRatio.toFixed(2)} | ${row.versusPortkey === undefined ? '—' : row.versusPortkey.toFixed(2)} | ${row.cpuUsPerCall === undefined ? '—' : row.cpuUsPerCall.toFixed(0)} | 0 |`,
      ),
    ].join('\n');
    log(`${SLOW_STREAMS} concurrent slow streams → switchyard`);
    const slow = await slowStreams(slowRequest(switchyard.pid, key));
    const failing = [...new Set(rows.filter((row) => row.failures > 0).map((row) => row.target))];
    const failureNote = failing.length
      ? `\nRows marked "not comparable" had failed requests (errors, timeouts or non-2xx answers), so their speed says nothing. On Node ${process.version}, the Portkey gateway answers streamed requests with 500: its server throws \`TypeError: immutable\` appending a header to a fetch Response.\n`
      : '';
    const backendName =
      BACKEND === 'postgres'
        ? 'a Postgres 15 server on this machine (`DATABASE_URL`)'
        : 'embedded PGlite (the default)';
    const markdown = `# Gateway benchmark: ${BACKEND === 'postgres' ? 'Postgres server' : 'embedded PGlite'}

Measured by \`npm run bench:gateway${BACKEND === 'postgres' ? ' -- --backend=postgres' : ''}\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}.
Everything runs on this machine over loopback: the fake upstream (\`bench/gateway/fake-upstream.mjs\`, 20 ms to answer, streams of 10 chunks 5 ms apart; "instant upstream" rows ask it for the model that answers at once, which shows the gateway's own cost where 20 ms would hide it), Switchyard (${backendName}, in-process kv, every call recorded as in production), the Portkey gateway (\`@portkey-ai/gateway\`, \`--headless\`, custom host = the same upstream) and the load generator, ${DURATION_S} s per run after ${WARMUP_S} s of warm-up at the same load.
"direct" is the load generator calling the fake upstream itself: the baseline every other row is compared with.

${table}

${failureNote}
**${SLOW_STREAMS} concurrent slow streams** (50 chunks 100 ms apart, ${SLOW_DURATION_S} s): ${slow.completed} streams completed, ${slow.failures} failed; Switchyard's RSS (the whole process${BACKEND === 'pglite' ? ', the embedded database included' : ''}) ${slow.rss.start} MB before, ${slow.rss.peak} MB at peak, ${slow.rss.end} MB at the end (sampled every second: ${slow.rss.samples.join(', ')} MB).

How to read it:
- Fixed-rate rows are open-loop (\`bench/gateway/open-loop.mjs\`): requests leave on schedule whether or not earlier ones have answered, and each latency is timed from when its request was due, so queueing inside a gateway shows. (autocannon's \`overallRate\` waits for a free connection first and counts more samples than requests, which hid it.)
- Saturation rows are closed-loop: autocannon with ${CONNECTIONS} connections, each sending its next request when the last one answers.
- "bare Node proxy" (\`bench/gateway/bare-proxy.mjs\`) is the least a Node gateway can do: node:http in, undici out, the JSON parsed and re-serialised both ways, streams relayed; no auth, limits, routing, records or metrics. It is the ceiling for any gateway written in Node on this box.
- CPU µs per call is what the target's process (all its threads: for Switchyard on PGlite, the embedded database's too) spent per answered request in the measured seconds, read from /proc; for "direct" it is the fake upstream's own.
- Added latency is the difference of medians (p50) and of 99th percentiles (p99); throughput is the ratio of requests/s at the same load. The gateway, the upstream and the load generator share ${cpus().length} cores, so at saturation the ratio is the cost of a gateway on the same box: it does the upstream's HTTP work a second time, so about 0.5 of direct is the ceiling.
`;
    const resultsFile = BACKEND === 'postgres' ? 'results-postgres.md' : 'results.md';
    writeFileSync(join(here, resultsFile), markdown);
    process.stdout.write(`${markdown}\n`);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(error.stack ?? String(error));
  for (const child of children) child.kill('SIGTERM');
  process.exit(1);
});
