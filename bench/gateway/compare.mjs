// This checkout's gateway against another checkout's, side by side in one run: both servers start on
// the same fake upstream, and saturation rounds alternate between them so drift hits both alike.
//   npm run bench:gateway:compare -- --base=../switchyard-main      (writes bench/gateway/results-compare.md)
//   ROUNDS=3 DURATION_S=8 npm run bench:gateway:compare -- --base=DIR
//   BASE_NODE=/usr/bin/node OUT=results-runtime.md npm run bench:gateway:compare -- --base=.
//     (this code on another Node, against the pinned one: a runtime move)
// The base checkout needs `npm ci` once; both are built here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { children, envWith, log, root, start, stopChildren, waitFor } from '../lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const DURATION_S = Number(process.env.DURATION_S ?? 8);
const CONNECTIONS = 64;
const UPSTREAM_PORT = 9301;
const UPSTREAM_KEY = 'sk-bench-upstream';
const baseArgument = process.argv.find((argument) => argument.startsWith('--base='));
if (!baseArgument) throw new Error('--base=DIR: the checkout to compare this one with');
const checkouts = [
  { name: 'base', root: resolve(baseArgument.slice('--base='.length)), port: 9302, node: process.env.BASE_NODE },
  { name: 'this', root, port: 9303 },
];
for (const checkout of checkouts) {
  checkout.node ??= process.execPath;
  checkout.nodeVersion = spawnSync(checkout.node, ['--version'], { encoding: 'utf8' }).stdout.trim();
}

function switchyard(checkout, args, env) {
  const bin = join(checkout.root, 'packages/server/bin/switchyard.js');
  const result = spawnSync(checkout.node, [bin, ...args], { env: envWith(env), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${checkout.name}: switchyard ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

/** Builds the checkout, gives it an unlimited org and a key, and starts it on its embedded database. */
async function startCheckout(checkout) {
  spawnSync(checkout.node, [join(checkout.root, 'scripts/build.mjs')], { stdio: 'inherit' });
  const env = {
    DATABASE_URL: undefined,
    DATA_DIR: mkdtempSync(join(tmpdir(), `switchyard-compare-${checkout.name}-`)),
    PORT: String(checkout.port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    OPENAI_API_KEY: UPSTREAM_KEY,
    OPENAI_BASE_URL: `http://127.0.0.1:${UPSTREAM_PORT}/v1`,
    // The bench org is made with the CLI, not by the first start: let it use the server's providers.
    SHARED_PROVIDERS: 'all',
  };
  switchyard(checkout, ['migrate'], env);
  switchyard(checkout, ['org', 'create', 'Bench', '--plan', 'enterprise'], env);
  const created = switchyard(checkout, ['keys', 'create', '--org', 'bench', '--scopes', 'gateway'], env);
  checkout.key = created.match(/^sy-\S+$/m)?.[0];
  const bin = join(checkout.root, 'packages/server/bin/switchyard.js');
  start(`switchyard (${checkout.name})`, [bin, 'start'], env, checkout.node);
  await waitFor(`http://127.0.0.1:${checkout.port}/ready`);
}

function saturate(checkout, stream, duration = DURATION_S) {
  return new Promise((resolvePromise, reject) =>
    autocannon(
      {
        url: `http://127.0.0.1:${checkout.port}/v1/chat/completions`,
        method: 'POST',
        connections: CONNECTIONS,
        duration,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${checkout.key}` },
        body: JSON.stringify({ model: 'openai/bench', messages: [{ role: 'user', content: 'benchmark' }], stream }),
      },
      (error, result) =>
        error
          ? reject(error)
          : resolvePromise({
              rps: result.requests.average,
              p99: result.latency.p99,
              failed: result.non2xx + result.errors,
            }),
    ),
  );
}

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;

async function main() {
  start('fake upstream', [join(here, 'fake-upstream.mjs'), `--port=${UPSTREAM_PORT}`]);
  await waitFor(`http://127.0.0.1:${UPSTREAM_PORT}/v1/models`);
  for (const checkout of checkouts) await startCheckout(checkout);
  for (const checkout of checkouts) await saturate(checkout, false, 3);
  const samples = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternating which goes first keeps a warming or cooling machine from favouring one side.
    const order = round % 2 ? checkouts.toReversed() : checkouts;
    for (const checkout of order) {
      for (const stream of [false, true]) {
        log(`round ${round + 1}/${ROUNDS}: ${checkout.name}, ${stream ? 'stream' : 'non-stream'}`);
        samples.push({ checkout: checkout.name, stream, ...(await saturate(checkout, stream)) });
      }
    }
  }
  const rows = [false, true].flatMap((stream) => {
    const of = (name) => samples.filter((sample) => sample.checkout === name && sample.stream === stream);
    const [base, current] = [of('base'), of('this')];
    const ratio = mean(current.map((sample) => sample.rps)) / mean(base.map((sample) => sample.rps));
    return checkouts.map((checkout) => {
      const mine = of(checkout.name);
      return `| ${stream ? 'stream' : 'non-stream'} | ${checkout.name} | ${mine.map((sample) => Math.round(sample.rps)).join(', ')} | ${Math.round(mean(mine.map((sample) => sample.rps)))} | ${Math.round(mean(mine.map((sample) => sample.p99)))} | ${checkout.name === 'this' ? ratio.toFixed(2) : '1.00'} | ${mine.reduce((sum, sample) => sum + sample.failed, 0)} |`;
    });
  });
  const report = [
    '# Gateway: this checkout against a base checkout',
    '',
    `Measured by \`npm run bench:gateway:compare\` on ${new Date().toISOString().slice(0, 10)}: Node ${checkouts.map((checkout) => `${checkout.nodeVersion} (${checkout.name})`).join(' and ')}, embedded PGlite, the fake upstream answering in 20 ms, saturation with ${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION_S} s per side and mode.`,
    '',
    '| mode | checkout | req/s per round | mean req/s | mean p99 ms | this / base | failed |',
    '| --- | --- | --- | ---: | ---: | ---: | ---: |',
    ...rows,
    '',
  ].join('\n');
  writeFileSync(join(here, process.env.OUT ?? 'results-compare.md'), report);
  process.stdout.write(report);
}

main()
  .catch((error) => {
    log(error.stack ?? String(error));
    process.exitCode = 1;
  })
  .finally(() => {
    stopChildren();
    if (children.length) setTimeout(() => process.exit(), 500).unref();
  });
