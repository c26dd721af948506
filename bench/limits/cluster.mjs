// Three `switchyard start` replicas of one checkout over one Postgres database and one Redis, as an
// operator runs them behind a load balancer, and an org set up through the HTTP API as a user would.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { freshPostgres, start, waitFor } from '../lib.mjs';

/**
 * Starts the replicas of the checkout at `root` (its packages/server must be built) on `ports`.
 * @returns {Promise<{ urls: string[], db: pg.Client, stop(): Promise<void> }>}
 */
export async function startCluster({ root, ports, databaseUrl, redisUrl }) {
  await freshPostgres(databaseUrl);
  const prefix = `sybench-${randomBytes(4).toString('hex')}:`;
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    SWITCHYARD_SECRET_KEY: randomBytes(32).toString('base64'),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SIGNUP: 'open',
    // The org's provider is the fake upstream on loopback.
    ALLOW_PRIVATE_URLS: 'true',
  };
  const bin = join(root, 'packages/server/bin/switchyard.js');
  const processes = [];
  // The first one migrates the empty database; the others start once it has.
  for (const port of ports) {
    processes.push(start(`switchyard :${port}`, [bin, 'start'], { ...env, PORT: String(port) }));
    await waitFor(`http://127.0.0.1:${port}/ready`);
  }
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  return {
    urls: ports.map((port) => `http://127.0.0.1:${port}`),
    db,
    async stop() {
      await db.end();
      await Promise.all(
        processes.map((child) => new Promise((resolve) => child.once('exit', resolve) && child.kill('SIGTERM'))),
      );
      const redis = new Redis(redisUrl);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      redis.disconnect();
    },
  };
}

/** A signed-up dashboard user (cookies and CSRF token) that calls the admin API of `url`. */
export async function signUp(url) {
  const response = await fetch(`${url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: `bench-${randomBytes(4).toString('hex')}@example.com`,
      password: 'correct horse battery staple',
      orgName: 'Bench',
    }),
  });
  if (response.status !== 201) throw new Error(`signup: ${response.status} ${await response.text()}`);
  const cookies = response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ');
  const { csrfToken } = await response.json();
  return async (method, path, body) => {
    const answer = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', cookie: cookies, 'x-csrf-token': csrfToken },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await answer.text();
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
}

/**
 * An enterprise org (no plan limits) whose own provider `house` is the fake upstream at `upstreamUrl`,
 * priced by the org at `price` (USD per million tokens). Returns a function that creates keys.
 */
export async function houseOrg({ url, db, upstreamUrl, price }) {
  const admin = await signUp(url);
  // The plan is the operator's: set in the database, which every checkout measured here reads alike.
  const { id } = await admin('GET', '/api/org');
  await db.query(`update organizations set plan = 'enterprise' where id = $1`, [id]);
  await admin('POST', '/api/providers', {
    name: 'house',
    kind: 'openai-compatible',
    baseUrl: upstreamUrl,
    apiKey: 'x',
  });
  await admin('PUT', '/api/prices', { model: 'house/*', ...price });
  return async (keyBody) => admin('POST', '/api/keys', { name: 'bench', scopes: ['gateway'], ...keyBody });
}
