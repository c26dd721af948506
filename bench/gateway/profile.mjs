// Where the gateway's CPU goes per call: Switchyard (embedded, as `npm start` runs it) under a
// zero-latency fake upstream at saturation, run with --cpu-prof; prints CPU µs per call and the
// profile's hot spots, and writes bench/gateway/results-profile.md (+ profile.folded for flame graphs).
//   npm run bench:gateway:profile
//   DURATION_S=5 STREAM=1 npm run bench:gateway:profile
//   RATE=1000 npm run bench:gateway:profile     (open loop at a fixed rate instead of saturation)
//   PROFILE=0 RATE=1000 npm run bench:gateway:profile   (the figures without the profiler's own cost)
//   ALLOC=1 npm run bench:gateway:profile      (also what each call allocates, garbage included, by function)
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { cpuUs, perCall, threadCpuUs } from '../cpu.mjs';
import { build, children, cli, log, root, serverNodeFlags, start, waitFor } from '../lib.mjs';
import { allocationSampler } from './allocation-sampler.mjs';
import { summariseProfile } from './cpu-profile.mjs';
import { openLoop } from './open-loop.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const DURATION_S = Number(process.env.DURATION_S ?? 10);
const WARMUP_S = Number(process.env.WARMUP_S ?? 3);
const CONNECTIONS = Number(process.env.CONNECTIONS ?? 64);
const STREAM = process.env.STREAM === '1';
const RATE = Number(process.env.RATE ?? 0);
const PROFILE = process.env.PROFILE !== '0';
const ALLOC = process.env.ALLOC === '1';
const INSPECTOR = '127.0.0.1:9129';
const PORTS = { upstream: 9121, switchyard: 9122 };
const UPSTREAM_KEY = 'sk-bench-upstream';

/** Saturation (autocannon, CONNECTIONS at once) or, with RATE, an open loop: { rps, calls, failures, p50, p99 }. */
async function drive(request, durationS) {
  if (RATE) {
    const result = await openLoop({ ...request, rate: RATE, durationS });
    return { rps: result.rps, calls: result.ok, failures: result.failed, p50: result.p50, p99: result.p99 };
  }
  const result = await new Promise((resolve, reject) =>
    autocannon({ method: 'POST', connections: CONNECTIONS, ...request, duration: durationS }, (error, value) =>
      error ? reject(error) : resolve(value),
    ),
  );
  return {
    rps: result.requests.average,
    calls: result.requests.total,
    failures: result.errors + result.non2xx + result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

/** The server's own view of its event loop and GC since it started, from its Prometheus metrics. */
async function eventLoopFigures() {
  const text = await (await fetch(`http://127.0.0.1:${PORTS.switchyard}/metrics`)).text();
  const value = (name) => Number(text.match(new RegExp(`^${name} (\\S+)$`, 'm'))?.[1] ?? Number.NaN);
  const gc = [...text.matchAll(/^nodejs_gc_duration_seconds_(sum|count)\{kind="(\w+)"\} (\S+)$/gm)];
  const gcSummary = ['major', 'minor', 'incremental']
    .map((kind) => {
      const sum = Number(gc.find(([, what, k]) => what === 'sum' && k === kind)?.[3] ?? 0);
      const count = Number(gc.find(([, what, k]) => what === 'count' && k === kind)?.[3] ?? 0);
      return `${kind} ${count} (${(sum * 1000).toFixed(0)} ms)`;
    })
    .join(', ');
  const ms = (name) => (value(name) * 1000).toFixed(1);
  return `event-loop delay since start: p50 ${ms('nodejs_eventloop_lag_p50_seconds')} ms, p99 ${ms('nodejs_eventloop_lag_p99_seconds')} ms, max ${ms('nodejs_eventloop_lag_max_seconds')} ms; GC: ${gcSummary}`;
}

async function main() {
  build();
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-profile-'));
  const profileDir = mkdtempSync(join(tmpdir(), 'switchyard-cpuprofile-'));
  const env = {
    DATABASE_URL: undefined,
    DATA_DIR: dataDir,
    PORT: String(PORTS.switchyard),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    OPENAI_API_KEY: UPSTREAM_KEY,
    OPENAI_BASE_URL: `http://127.0.0.1:${PORTS.upstream}/v1`,
    SHARED_PROVIDERS: 'all',
  };
  try {
    start('fake upstream', [
      join(here, 'fake-upstream.mjs'),
      `--port=${PORTS.upstream}`,
      '--latency-ms=0',
      '--chunk-delay-ms=0',
    ]);
    cli(['migrate'], env);
    cli(['org', 'create', 'Bench', '--plan', 'enterprise'], env);
    const key = cli(['keys', 'create', '--org', 'bench', '--scopes', 'gateway'], env).match(/^sy-\S+$/m)?.[0];
    const server = start(
      'switchyard',
      [
        ...serverNodeFlags,
        ...(PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
        ...(ALLOC ? [`--inspect=${INSPECTOR}`] : []),
        join(root, 'packages/server/bin/switchyard.js'),
        'start',
      ],
      env,
    );
    await waitFor(`http://127.0.0.1:${PORTS.upstream}/v1/models`);
    await waitFor(`http://127.0.0.1:${PORTS.switchyard}/ready`);
    const request = {
      url: `http://127.0.0.1:${PORTS.switchyard}/v1/chat/completions`,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({
        model: 'openai/bench',
        messages: [{ role: 'user', content: 'benchmark' }],
        stream: STREAM,
      }),
    };
    log(`warm-up ${WARMUP_S} s`);
    await drive(request, WARMUP_S);
    const sampler = ALLOC ? await allocationSampler(`http://${INSPECTOR}`) : undefined;
    await sampler?.start();
    const threadsBefore = threadCpuUs(server.pid);
    const before = cpuUs(server.pid);
    const fromUs = Number(process.hrtime.bigint() / 1000n);
    const load = RATE ? `${RATE} req/s` : `${CONNECTIONS} connections`;
    log(`measuring ${DURATION_S} s, ${load}, ${STREAM ? 'streamed' : 'non-stream'}`);
    const result = await drive(request, DURATION_S);
    const after = cpuUs(server.pid);
    const toUs = Number(process.hrtime.bigint() / 1000n);
    const threadsAfter = threadCpuUs(server.pid);
    const allocations = await sampler?.stop();
    sampler?.close();
    const { calls, failures } = result;
    const cpu = perCall(before, after, calls);
    const otherThreads = Object.entries(threadsAfter)
      .map(([name, us]) => [name, (us - (threadsBefore[name] ?? 0)) / calls])
      .filter(([, us]) => us >= 0.5)
      .sort((a, b) => b[1] - a[1]);

    const figures = `${Math.round(result.rps)} req/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms, ${failures} failed. CPU per call: ${cpu.process.toFixed(0)} µs for the whole process, ${cpu.main.toFixed(0)} µs on the event loop${otherThreads.length ? ` (other threads: ${otherThreads.map(([name, us]) => `${name} ${us.toFixed(0)} µs`).join(', ')})` : ''}`;
    const allocationTable = allocations
      ? `\nAllocated per call: ${(allocations.total / calls / 1024).toFixed(1)} KiB (sampled, garbage included). By function:\n\n| KiB per call | function, where |\n| ---: | --- |\n${allocations.byFunction
          .slice(0, 25)
          .map(([key, bytes]) => `| ${(bytes / calls / 1024).toFixed(2)} | \`${key}\` |`)
          .join('\n')}\n`
      : '';
    if (!PROFILE) {
      process.stdout.write(`${figures}\n${await eventLoopFigures()}\n${allocationTable}`);
      return;
    }
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    // CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile: thread 0 is the event loop; the embedded
    // database's thread writes its own beside it.
    const mainProfile = readdirSync(profileDir).find((name) => name.includes(`.${server.pid}.0.`));
    if (!mainProfile) throw new Error(`no event-loop profile in ${profileDir}`);
    const summary = summariseProfile(join(profileDir, mainProfile), { window: { fromUs, toUs } });
    const percent = (share) => `${(share * 100).toFixed(1)}%`;
    const rows = (entries) => entries.map((entry) => `| ${percent(entry.share)} | \`${entry.key}\` |`).join('\n');
    const markdown = `# Gateway CPU profile

Measured by \`npm run bench:gateway:profile${STREAM ? ' (STREAM=1)' : ''}\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), Node ${process.version}.
Switchyard on embedded PGlite (as \`npm start\` runs it, every call recorded), a fake OpenAI upstream answering at once (\`--latency-ms=0\`), ${RATE ? `an open loop at ${RATE} req/s` : `autocannon with ${CONNECTIONS} connections`} for ${DURATION_S} s after ${WARMUP_S} s of warm-up, ${STREAM ? 'streamed' : 'non-stream'} \`/v1/chat/completions\`.

**${figures}**.

The event loop's profile (\`--cpu-prof\`, the measured seconds only, idle excluded), self time by package or source folder:

| share | where |
| ---: | --- |
${summary.groups.map((group) => `| ${percent(group.share)} | ${group.key} |`).join('\n')}

Functions by self time:

| share | function, where |
| ---: | --- |
${rows(summary.self)}

Functions by inclusive time (the function and everything it called):

| share | function, where |
| ---: | --- |
${rows(summary.inclusive)}

**Stalls**: ${summary.stalls.count} stretches of 2 ms or more without going idle, ${(summary.stalls.us / 1000).toFixed(0)} ms in all (${percent(summary.stalls.us / summary.busyUs)} of the busy time), the longest ${(summary.stalls.longestUs / 1000).toFixed(1)} ms. What ran in them, by inclusive time:

| share | function, where |
| ---: | --- |
${rows(summary.stalls.inclusive)}
${allocationTable}`;
    writeFileSync(join(here, 'results-profile.md'), markdown);
    writeFileSync(join(here, 'profile.folded'), `${summary.folded}\n`);
    process.stdout.write(markdown);
  } finally {
    for (const child of children) child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(profileDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(error.stack ?? String(error));
  for (const child of children) child.kill('SIGTERM');
  process.exit(1);
});
