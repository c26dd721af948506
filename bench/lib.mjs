// What every benchmark here needs: child processes it cleans up, the switchyard CLI, waiting for a
// server, and a fresh Postgres database.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const children = [];

export const log = (message) => process.stderr.write(`${message}\n`);

/**
 * The Node flags the server runs with: those of package.json's `start` (`node <flags> scripts/start.mjs`),
 * so a bench measures what `npm start` runs; SWITCHYARD_NODE_FLAGS="" (or other flags) overrides them.
 */
export const serverNodeFlags = (
  process.env.SWITCHYARD_NODE_FLAGS ??
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start.match(
    /^node (.*?)\s*scripts\/start\.mjs/,
  )[1]
)
  .split(/\s+/)
  .filter(Boolean);

/** The environment with these changes; a variable set to undefined is removed. */
export function envWith(changes) {
  const env = { ...process.env, ...changes };
  for (const [name, value] of Object.entries(env)) if (value === undefined) delete env[name];
  return env;
}

/** Starts a Node child process, killed by `stopChildren`; its output is shown if it fails. */
export function start(name, args, env = {}, node = process.execPath) {
  const child = spawn(node, args, { env: envWith(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  child.on('exit', (code) => code && log(`${name} exited with ${code}:\n${output.slice(-2000)}`));
  return child;
}

export function stopChildren() {
  for (const child of children) child.kill('SIGTERM');
}

export async function waitFor(url, init) {
  for (let attempt = 0; attempt < 200; attempt++) {
    try {
      const response = await fetch(url, init);
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

/** Runs `switchyard <args>` from the build and returns what it printed. */
export function cli(args, env) {
  const result = spawnSync(process.execPath, [join(root, 'packages/server/bin/switchyard.js'), ...args], {
    env: envWith(env),
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`switchyard ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

export function build() {
  spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'inherit' });
}

/** A fresh, empty database on the Postgres server, so every run starts from the same state. */
export async function freshPostgres(url) {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).href });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
}

/** The value at quantile `q` (0..1) of ascending `sorted` numbers; 0 when empty. */
export function percentile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/**
 * A fresh Postgres database with Switchyard's schema, an enterprise org (no limits: benchmarks measure
 * the path, not the limiter) and a key with `scopes`; returns the server's environment for `port`.
 */
export async function setUpPostgresOrg({ databaseUrl, port, scopes }) {
  await freshPostgres(databaseUrl);
  const env = {
    DATABASE_URL: databaseUrl,
    SWITCHYARD_SECRET_KEY: randomBytes(32).toString('base64'),
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  };
  cli(['migrate'], env);
  const created = cli(['org', 'create', 'Bench', '--plan', 'enterprise'], env);
  const orgId = created.match(/[0-9a-f]{8}-[0-9a-f-]{27}/)?.[0];
  const key = cli(['keys', 'create', '--org', 'bench', '--scopes', scopes], env).match(/^sy-\S+$/m)?.[0];
  if (!orgId || !key) throw new Error(`could not set up the org and key:\n${created}`);
  return { env, orgId, key };
}

/** Starts `switchyard start` with `env` (and Node flags, e.g. `--cpu-prof`) and resolves with its process once it is ready. */
export async function startSwitchyard(env, nodeArgs = []) {
  const server = start(
    'switchyard',
    [...serverNodeFlags, ...nodeArgs, join(root, 'packages/server/bin/switchyard.js'), 'start'],
    env,
  );
  await waitFor(`http://127.0.0.1:${env.PORT}/ready`);
  return server;
}
