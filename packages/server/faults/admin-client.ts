import type { ServerProcess } from './server-process.js';

export type ApiAnswer = { status: number; body: unknown };

export type Login = { email: string; password: string };

/** `/api/*` as an admin key sees it (the first run's key has the admin scope), and its operator's login. */
export class AdminClient {
  constructor(
    readonly url: string,
    readonly adminKey: string,
    /** The first run's login: the installation's operator. */
    readonly login: Login,
  ) {}

  async request(method: string, path: string, body?: unknown): Promise<ApiAnswer> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.adminKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, body: parsed };
  }

  /** Like request, but throws unless the status is the expected one. */
  async expect<TBody>(status: number, method: string, path: string, body?: unknown): Promise<TBody> {
    const answer = await this.request(method, path, body);
    if (answer.status !== status) {
      throw new Error(`${method} ${path}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    return answer.body as TBody;
  }
}

/** The first run's org and key, read from the banner the server printed on an empty database. */
export function firstRunKey(server: ServerProcess): string {
  const key = server.output().match(/API key\s+(sy-\S+)/)?.[1];
  if (!key) throw new Error(`no first-run key in the output:\n${server.output()}`);
  return key;
}

/** The first run's login, read from the same banner. */
export function firstRunLogin(server: ServerProcess): Login {
  const email = server.output().match(/Login\s+(\S+)/)?.[1];
  const password = server.output().match(/Password\s+(\S+)/)?.[1];
  if (!email || !password) throw new Error(`no first-run login in the output:\n${server.output()}`);
  return { email, password };
}

/** The org behind the admin key, without limits: the operator (the first run's login) puts it on enterprise. */
export async function prepareOrg(admin: AdminClient): Promise<{ orgId: string }> {
  const org = await admin.expect<{ id: string }>(200, 'GET', '/api/org');
  const login = await fetch(`${admin.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(admin.login),
  });
  if (login.status !== 200) throw new Error(`operator login: ${login.status} ${await login.text()}`);
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const changed = await fetch(`${admin.url}/api/operator/orgs/${org.id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
    body: JSON.stringify({ plan: 'enterprise' }),
  });
  if (changed.status !== 200) throw new Error(`plan change: ${changed.status} ${await changed.text()}`);
  return { orgId: org.id };
}

/** A new key of the admin's org; returns its secret. */
export async function createKey(admin: AdminClient, body: Record<string, unknown>): Promise<string> {
  const created = await admin.expect<{ secret: string }>(201, 'POST', '/api/keys', body);
  return created.secret;
}
