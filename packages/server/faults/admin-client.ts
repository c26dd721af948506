import type { ServerProcess } from './server-process.js';

export type ApiAnswer = { status: number; body: unknown };

/** `/api/*` as an admin key sees it (the first run's key has the admin scope). */
export class AdminClient {
  constructor(
    readonly url: string,
    readonly adminKey: string,
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

const NO_LIMITS = {
  requestsPerMinute: null,
  tokensPerMinute: null,
  monthlySpendCapUsd: null,
  maxConcurrentRequests: null,
  ingestEventsPerMinute: null,
};

/** The org behind the admin key, without limits (changing the plan needs an owner; limits an admin). */
export async function prepareOrg(admin: AdminClient): Promise<{ orgId: string }> {
  const org = await admin.expect<{ id: string }>(200, 'PATCH', '/api/org', { limits: NO_LIMITS });
  return { orgId: org.id };
}

/** A new key of the admin's org; returns its secret. */
export async function createKey(admin: AdminClient, body: Record<string, unknown>): Promise<string> {
  const created = await admin.expect<{ secret: string }>(201, 'POST', '/api/keys', body);
  return created.secret;
}
