import { Writable } from 'node:stream';
import type { LightMyRequestResponse } from 'fastify';
import { type App, buildApp } from '../src/app.js';
import { setOperator } from '../src/auth/users.js';
import type { Clock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { createTestBackends, type TestBackends } from './backend.js';

/** A clock the test moves by hand. */
export class ManualClock implements Clock {
  #now: number;
  constructor(start = Date.now()) {
    this.#now = start;
  }
  now(): number {
    return this.#now;
  }
  advance(ms: number): void {
    this.#now += ms;
  }
}

/** Every JSON log line the app wrote. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export const TEST_SECRET_KEY = 'test-secret-key-0123456789abcdef0123456789';
export const TEST_PASSWORD_COST = 2 ** 10;

export type TestContext = {
  app: App;
  backends: TestBackends;
  clock: ManualClock;
  logs: LogCapture;
  /** Another replica on the same database and kv (its own caches), closed with the context. */
  replica(): Promise<App>;
  close(): Promise<void>;
};

export async function createTestApp(
  options: {
    env?: Record<string, string>;
    clock?: ManualClock;
    dataDir?: string;
    embedded?: boolean;
    /** The server's own defaults (SIGNUP=invite, SHARED_PROVIDERS=first), not the tests' open ones. */
    serverDefaults?: boolean;
  } = {},
): Promise<TestContext> {
  const clock = options.clock ?? new ManualClock();
  const backends = await createTestBackends({ clock, dataDir: options.dataDir, embedded: options.embedded });
  const logs = new LogCapture();
  const config = {
    // Fake upstreams and webhook receivers listen on loopback, which org URLs may not reach by default.
    // Tests make their tenants by sign-up and call the server's (fake) providers from them: open sign-up
    // and shared providers, unless a test asks for the defaults (SIGNUP=invite, SHARED_PROVIDERS=first).
    ...loadConfig({
      LOG_LEVEL: 'info',
      ALLOW_PRIVATE_URLS: 'true',
      ...(options.serverDefaults ? {} : { SIGNUP: 'open', SHARED_PROVIDERS: 'all' }),
      ...options.env,
    }),
    secretKey: TEST_SECRET_KEY,
  };
  const apps: App[] = [];
  const build = async (kv = backends.kv) => {
    const app = await buildApp({
      config,
      database: backends.database,
      kv,
      clock,
      logStream: logs,
      passwordCost: TEST_PASSWORD_COST,
    });
    apps.push(app);
    return app;
  };
  const app = await build();
  return {
    app,
    backends,
    clock,
    logs,
    replica: async () => build(await backends.connectKv()),
    close: async () => {
      for (const each of apps) await each.close();
      await backends.close();
    },
  };
}

/** A signed-in dashboard user: carries the cookies and the CSRF header like the browser app does. */
export class SessionClient {
  readonly cookies = new Map<string, string>();
  csrfToken = '';
  /** Each client comes from its own address, as separate people would (the login limiter counts per IP). */
  readonly remoteAddress = `10.${randomOctet()}.${randomOctet()}.${randomOctet()}`;
  constructor(readonly app: App) {}

  absorb(response: LightMyRequestResponse): LightMyRequestResponse {
    for (const cookie of response.cookies as Array<{ name: string; value: string }>) {
      if (cookie.value) this.cookies.set(cookie.name, cookie.value);
      else this.cookies.delete(cookie.name);
    }
    const body = safeJson(response.body) as { csrfToken?: string } | undefined;
    if (body?.csrfToken) this.csrfToken = body.csrfToken;
    return response;
  }

  async request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ) {
    const response = await this.app.inject({
      method,
      url,
      payload: payload as Record<string, unknown> | undefined,
      cookies: Object.fromEntries(this.cookies),
      remoteAddress: this.remoteAddress,
      headers: { ...(method === 'GET' ? {} : { 'x-csrf-token': this.csrfToken }), ...headers },
    });
    return this.absorb(response);
  }
}

function randomOctet(): number {
  return Math.floor(Math.random() * 254) + 1;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

let counter = 0;
/** A fresh account with its own org; returns the signed-in client. */
export async function signUp(app: App, overrides: { email?: string; password?: string; orgName?: string } = {}) {
  counter += 1;
  const client = new SessionClient(app);
  const email = overrides.email ?? `user${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = overrides.password ?? 'correct horse battery staple';
  const response = await client.request('POST', '/api/auth/signup', {
    email,
    password,
    orgName: overrides.orgName ?? `Org ${counter}`,
  });
  if (response.statusCode !== 201) throw new Error(`signup failed: ${response.statusCode} ${response.body}`);
  const me = response.json() as { user: { id: string }; org: { id: string } };
  return { client, email, password, userId: me.user.id, orgId: me.org.id };
}

/** Creates an API key through the API as `client`; returns its id and secret. */
export async function createKey(client: SessionClient, body: Record<string, unknown> = {}) {
  const response = await client.request('POST', '/api/keys', { name: 'test key', ...body });
  if (response.statusCode !== 201) throw new Error(`key create failed: ${response.statusCode} ${response.body}`);
  return response.json() as { id: string; secret: string; prefix: string; scopes: string[] };
}

/** A signed-in instance operator, made one in the database as `switchyard operator grant` does. */
export async function signUpOperator(app: App) {
  const account = await signUp(app, { orgName: 'Operators' });
  await setOperator(app.services.db, { email: account.email, isOperator: true });
  return account;
}

const operators = new WeakMap<App, Promise<SessionClient>>();

/** One signed-in operator per app, made on first use. */
function operatorOf(app: App): Promise<SessionClient> {
  let operator = operators.get(app);
  if (!operator) {
    operator = signUpOperator(app).then((account) => account.client);
    operators.set(app, operator);
  }
  return operator;
}

/** Puts an org on a plan as the server's operator does (orgs cannot choose their own). */
export async function setPlan(app: App, orgId: string, plan: 'free' | 'pro' | 'enterprise'): Promise<void> {
  const response = await (await operatorOf(app)).request('PATCH', `/api/operator/orgs/${orgId}`, { plan });
  if (response.statusCode !== 200) throw new Error(`plan change failed: ${response.statusCode} ${response.body}`);
}

/**
 * Prices a model (or `prefix*`) of the server-wide providers, as the operator does: the fake
 * upstreams' made-up models have no built-in price, and under a budget an unpriced model is refused.
 */
export async function setServerPrice(app: App, price: { model: string; input: number; output: number }) {
  const response = await (await operatorOf(app)).request('PUT', '/api/operator/prices', price);
  if (response.statusCode !== 200) throw new Error(`server price failed: ${response.statusCode} ${response.body}`);
}
