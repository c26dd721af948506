/**
 * How the dashboard talks to the server, the one way:
 *
 * - `api/<domain>.ts` (auth, org, keys, members, invitations, alerts, providers, routes, models,
 *   usage, metrics, traces, sessions, end-users, live, operator-orgs, server-prices, readiness,
 *   gateway) holds plain functions, one per server call. Each calls `request` below with the path and the shared zod
 *   schema of the answer (`@switchyard/shared`), so what reaches a page has been parsed, never cast.
 *   A missing schema is added to packages/shared, beside its wire format.
 * - `api/use-<domain>.ts` holds that domain's TanStack Query hooks: the query keys (from
 *   `query-keys.ts`), what a change invalidates, refresh intervals and retries.
 * - Pages and components call the hooks. They never `fetch`, nor name a path or a query key.
 *
 * Failures arrive as `ApiError`: the server's `{ error: { code, message } }` (or OpenAI's shape on
 * `/v1/*`), a network failure (`network_error`), or an answer its schema refused (`invalid_response`).
 */

/** An `/api/*` or `/v1/*` error, with the server's code and message (both wire shapes). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(options: { status: number; code: string; message: string; cause?: unknown }) {
    super(options.message, { cause: options.cause });
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
  }
}

/** What `request` needs of a schema: zod's `parse`, which throws on anything else. */
export type Schema<TResult> = { parse(data: unknown): TResult };

let csrfToken = '';

/** Set from `GET /api/me`; sent on every cookie-authenticated mutation. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

export type RequestOptions = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
  /** Statuses besides 2xx whose body is the answer too (`/ready` says what is down with a 503). */
  acceptStatuses?: number[];
};

export function withQuery(path: string, query: RequestOptions['query'] = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

async function readError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let message = `${response.status} ${response.statusText}`.trim();
  let code = `http_${response.status}`;
  try {
    const body = JSON.parse(text) as { error?: { message?: string; code?: string | null; type?: string } };
    if (body.error?.message) message = body.error.message;
    code = body.error?.code ?? body.error?.type ?? code;
  } catch {
    // Not JSON (a proxy's error page): the status line says enough.
  }
  return new ApiError({ status: response.status, code, message });
}

/**
 * `fetch`, with a failure to connect and an error status both turned into ApiError. The answer's
 * body is left to read: `request` parses it, the gateway's streams are read as they come.
 */
export async function send(
  path: string,
  init: RequestInit & { signal?: AbortSignal },
  acceptStatuses: number[] = [],
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiError({ status: 0, code: 'network_error', message: 'Could not reach the Switchyard server' });
  }
  if (!response.ok && !acceptStatuses.includes(response.status)) throw await readError(response);
  return response;
}

/** The answer's JSON, parsed with its schema; an answer of another shape is an error, not data. */
export async function parseAnswer<TResult>(response: Response, schema: Schema<TResult>): Promise<TResult> {
  const body: unknown = await response.json();
  try {
    return schema.parse(body);
  } catch (error) {
    throw new ApiError({
      status: response.status,
      code: 'invalid_response',
      message: `The server's answer${response.url ? ` to ${new URL(response.url).pathname}` : ''} was not understood`,
      cause: error,
    });
  }
}

/**
 * Calls the Switchyard API with the session cookie. With a `schema`, resolves with the answer parsed
 * by it; without one (a `DELETE`'s 204), with nothing. Throws ApiError.
 */
export async function request<TResult>(
  path: string,
  options: RequestOptions & { schema: Schema<TResult> },
): Promise<TResult>;
export async function request(path: string, options?: RequestOptions): Promise<void>;
export async function request<TResult>(
  path: string,
  options: RequestOptions & { schema?: Schema<TResult> } = {},
): Promise<TResult | undefined> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  const init = {
    method,
    headers,
    credentials: 'same-origin' as const,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: options.signal,
  };
  const response = await send(withQuery(path, options.query), init, options.acceptStatuses);
  return options.schema ? parseAnswer(response, options.schema) : undefined;
}
