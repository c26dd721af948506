// The security review's probes (issue 18), from outside, against a real `switchyard start` on a
// fresh embedded install with the bench's fake OpenAI upstream: what a member, a stranger's org and
// an anonymous client can do, how /health holds up under unauthenticated nested JSON, how long a
// trickling body holds a socket, whether /metrics grows with made-up names, and how `café` is stored.
//   npm run bench:security                              (this checkout; writes bench/security/results.md)
//   node bench/security/probe.mjs --checkout=/tmp/old   (another checkout, built there, e.g. before a fix)

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { children, log, percentile, root, start, stopChildren, waitFor } from '../lib.mjs';

const checkout = process.argv.find((arg) => arg.startsWith('--checkout='))?.split('=')[1] ?? root;
const ATTACK_S = Number(process.env.ATTACK_S ?? 15);
const SLOW_BODY_CAP_S = Number(process.env.SLOW_BODY_CAP_S ?? 140);
const MADE_UP_MODELS = Number(process.env.MADE_UP_MODELS ?? 2000);
const PORTS = { upstream: 9111, server: 9112 };
const origin = `http://127.0.0.1:${PORTS.server}`;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A signed-in person: the session cookie and CSRF token, as the dashboard carries them. */
class Person {
  cookie = '';
  csrf = '';
  async call(method, path, body, headers = {}) {
    const response = await fetch(`${origin}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        cookie: this.cookie,
        'x-csrf-token': this.csrf,
        'x-forwarded-for': `10.9.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const cookies = response.headers.getSetCookie().map((line) => line.split(';')[0]);
    if (cookies.length) this.cookie = cookies.filter((pair) => !pair.endsWith('=')).join('; ');
    const text = await response.text();
    const json = text.startsWith('{') ? JSON.parse(text) : undefined;
    if (json?.csrfToken) this.csrf = json.csrfToken;
    return { status: response.status, json };
  }
}

async function signUp(name) {
  const person = new Person();
  const email = `${name}-${Date.now()}@example.com`;
  const answer = await person.call('POST', '/api/auth/signup', {
    email,
    password: 'correct horse battery',
    orgName: name,
  });
  if (answer.status !== 201) throw new Error(`sign-up failed: ${answer.status} ${JSON.stringify(answer.json)}`);
  return Object.assign(person, { email, userId: answer.json.user.id, orgId: answer.json.org.id });
}

async function login(email, password) {
  const person = new Person();
  const answer = await person.call('POST', '/api/auth/login', { email, password });
  if (answer.status !== 200) throw new Error(`login failed: ${answer.status}`);
  return Object.assign(person, { email, userId: answer.json.user.id, orgId: answer.json.org.id });
}

const withKey = (secret, method, path, body) =>
  fetch(`${origin}${path}`, {
    method,
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).then(async (response) => ({ status: response.status, json: await response.json().catch(() => undefined) }));

/** Lifts an org's limits the way this checkout allows: the operator's route, else the org's own PATCH. */
async function unlimit(operator, owner, orgId) {
  const byOperator = await operator.call('PATCH', `/api/operator/orgs/${orgId}`, { plan: 'enterprise' });
  if (byOperator.status === 200) return;
  await owner.call('PATCH', '/api/org', { plan: 'enterprise' });
}

async function roles(first) {
  const owner = await login(first.email, first.password);
  const member = await signUp('member');
  const invitation = await owner.call('POST', '/api/invitations', { email: member.email, role: 'member' });
  await member.call('POST', '/api/invitations/accept', { token: invitation.json.token });
  const adminKey = await member.call('POST', '/api/keys', { name: 'escalate', scopes: ['admin'] });
  const promote =
    adminKey.status === 201
      ? (await withKey(adminKey.json.secret, 'PATCH', `/api/members/${member.userId}`, { role: 'admin' })).status
      : 'no key to try';
  const stranger = await signUp('stranger');
  const plan = await stranger.call('PATCH', '/api/org', { plan: 'enterprise' });
  const limits = await stranger.call('PATCH', '/api/org', { limits: { requestsPerMinute: 100_000 } });
  const zeroPrice = await stranger.call('PUT', '/api/prices', { model: 'openai/*', input: 0, output: 0 });
  const key = await stranger.call('POST', '/api/keys', { name: 'spend', scopes: ['gateway'] });
  const call = await withKey(key.json.secret, 'POST', '/v1/chat/completions', {
    model: 'openai/gpt-4o-mini',
    messages: [{ role: 'user', content: 'free?' }],
  });
  await sleep(1_500);
  const traces = await stranger.call('GET', '/api/traces?limit=1');
  const cost = traces.json?.data?.[0]?.costUsd;
  return [
    ['member asks for a key with the admin scope', adminKey.status],
    ['… and promotes themselves to admin with it', promote],
    ["a stranger's org sets its own plan to enterprise", plan.status],
    ['… raises its requests/min to 100,000', limits.status],
    ['… prices openai/* at zero', zeroPrice.status],
    ['… then a gpt-4o-mini call through the server key costs', `${call.status}, $${cost}`],
  ];
}

/** Many requests to /health, one after another, for `seconds`: their latencies in ms. */
async function healthLatencies(seconds) {
  const latencies = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const started = performance.now();
    await fetch(`${origin}/health`).then((response) => response.arrayBuffer());
    latencies.push(performance.now() - started);
    await sleep(20);
  }
  return latencies.sort((a, b) => a - b);
}

async function nestedBodies() {
  const quiet = await healthLatencies(5);
  const attackers = start('attackers', [
    join(root, 'bench/security/nested-json-client.mjs'),
    `--url=${origin}/v1/chat/completions`,
    '--clients=4',
    `--seconds=${ATTACK_S}`,
  ]);
  let report = '';
  attackers.stdout.on('data', (chunk) => (report += chunk));
  const finished = new Promise((resolve) => attackers.on('exit', resolve));
  await sleep(500);
  const loaded = await healthLatencies(ATTACK_S - 1);
  await finished;
  const { sent, bytes } = JSON.parse(report);
  return [
    ['/health p50 alone', `${percentile(quiet, 0.5).toFixed(1)} ms`],
    [
      `/health p50 while 4 clients without a key send ${(bytes / 1e6).toFixed(1)} MB nested JSON (${sent} sent)`,
      `${percentile(loaded, 0.5).toFixed(1)} ms (×${(percentile(loaded, 0.5) / percentile(quiet, 0.5)).toFixed(1)})`,
    ],
  ];
}

/** A body that arrives one byte every 5 s (with `secret`, or none): how long until the server closes the socket. */
function slowBody(secret) {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(PORTS.server, '127.0.0.1');
    let timer;
    let answer = '';
    const finish = (what) => {
      clearInterval(timer);
      socket.destroy();
      resolve([[`a body sent one byte every 5 s, ${secret ? 'with a valid key' : 'without a key'}`, what]]);
    };
    socket.on('connect', () => {
      const authorization = secret ? `authorization: Bearer ${secret}\r\n` : '';
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\n${authorization}content-type: application/json\r\ncontent-length: 1000\r\n\r\n`,
      );
      timer = setInterval(() => {
        if (Date.now() - started > SLOW_BODY_CAP_S * 1000) finish(`still open at ${SLOW_BODY_CAP_S} s`);
        else socket.write('{');
      }, 5_000);
    });
    socket.on('data', (chunk) => {
      answer ||= chunk.toString('latin1').split('\r\n')[0].replace('HTTP/1.1 ', '');
    });
    socket.on('close', () =>
      finish(`closed after ${((Date.now() - started) / 1000).toFixed(0)} s${answer ? `, answered ${answer}` : ''}`),
    );
    socket.on('error', () => {});
  });
}

async function metricsGrowth(secret) {
  const scrape = async () => {
    const text = await (await fetch(`${origin}/metrics`)).text();
    return { series: text.split('\n').filter((line) => line && !line.startsWith('#')).length, bytes: text.length };
  };
  await scrape();
  const before = await scrape();
  for (let index = 0; index < MADE_UP_MODELS; index += 50) {
    await Promise.all(
      Array.from({ length: 50 }, (_, offset) =>
        withKey(secret, 'POST', '/v1/chat/completions', {
          model: `openai/made-up-${index + offset}`,
          messages: [{ role: 'user', content: 'x' }],
        }),
      ),
    );
  }
  const after = await scrape();
  const text = await (await fetch(`${origin}/metrics`)).text();
  return [
    [
      `/metrics after ${MADE_UP_MODELS} calls with made-up model names`,
      `${before.series} → ${after.series} series, ${(before.bytes / 1024).toFixed(0)} → ${(after.bytes / 1024).toFixed(0)} KB`,
    ],
    ['… made-up names in /metrics', text.includes('made-up-') ? 'yes' : 'none'],
  ];
}

function tagged(secret) {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ model: 'mock/echo', messages: [{ role: 'user', content: 'tag' }] });
    const socket = connect(PORTS.server, '127.0.0.1');
    socket.on('connect', () => {
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nconnection: close\r\nauthorization: Bearer ${secret}\r\ncontent-type: application/json\r\nx-switchyard-trace-id: probe-cafe\r\ncontent-length: ${Buffer.byteLength(body)}\r\nx-switchyard-tags: `,
      );
      socket.write(Buffer.from('café'));
      socket.write(`\r\n\r\n${body}`);
    });
    socket.on('data', () => {});
    socket.on('error', reject);
    socket.on('close', resolve);
  });
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-probe-'));
  log(`building ${checkout}`);
  await new Promise((resolve) => start('build', [join(checkout, 'scripts/build.mjs')]).on('exit', resolve));
  start('upstream', [join(root, 'bench/gateway/fake-upstream.mjs'), `--port=${PORTS.upstream}`, '--latency-ms=0']);
  const server = start('switchyard', [join(checkout, 'packages/server/bin/switchyard.js'), 'start'], {
    DATA_DIR: dataDir,
    PORT: String(PORTS.server),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    TRUST_PROXY: 'true',
    OPENAI_API_KEY: 'sk-probe',
    OPENAI_BASE_URL: `http://127.0.0.1:${PORTS.upstream}/v1`,
    // The probes sign up a stranger's org and call the server's provider from it, as before these defaults.
    SIGNUP: 'open',
    SHARED_PROVIDERS: 'all',
  });
  let banner = '';
  server.stderr.on('data', (chunk) => (banner += chunk));
  await waitFor(`${origin}/health`);
  // The banner may arrive in pieces: wait for the whole key line.
  while (!/API key\s+sy-\S+\n/.test(banner)) await sleep(100);
  const first = {
    email: banner.match(/Login\s+(\S+)/)[1],
    password: banner.match(/Password\s+(\S+)/)[1],
    apiKey: banner.match(/API key\s+(\S+)/)[1],
  };
  const operator = await login(first.email, first.password);
  await unlimit(operator, operator, operator.orgId);
  const rows = [
    ...(await roles(first)),
    ...(await nestedBodies()),
    ...(await slowBody()),
    ...(await slowBody(first.apiKey)),
    ...(await metricsGrowth(first.apiKey)),
  ];
  await tagged(first.apiKey);
  await sleep(1_500);
  const trace = await operator.call('GET', '/api/traces/probe-cafe');
  rows.push(['x-switchyard-tags: café (UTF-8 bytes) is stored as', JSON.stringify(trace.json?.tags)]);
  const table = [
    '| probe | answer |',
    '| --- | --- |',
    ...rows.map(([what, answer]) => `| ${what} | ${answer} |`),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  if (checkout === root) {
    writeFileSync(
      join(root, 'bench/security/results.md'),
      `# Security probes\n\n\`npm run bench:security\` on ${new Date().toISOString().slice(0, 10)}, this machine (2 cores), a fresh embedded install:\n\n${table}\n`,
    );
  }
  rmSync(dataDir, { recursive: true, force: true });
}

main()
  .catch((error) => {
    log(error.stack);
    process.exitCode = 1;
  })
  .finally(() => {
    stopChildren();
    for (const child of children) child.kill('SIGKILL');
  });
