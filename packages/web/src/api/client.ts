/** An `/api/*` or `/v1/*` error, with the server's code and message (both wire shapes). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(options: { status: number; code: string; message: string }) {
    super(options.message);
    this.name = 'ApiError';
    this.status = options.status;
    this.code = options.code;
  }
}

let csrfToken = '';

/** Set from `GET /api/me`; sent on every cookie-authenticated mutation. */
export function setCsrfToken(token: string): void {
  csrfToken = token;
}

type RequestOptions = {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
};

export function withQuery(path: string, query: RequestOptions['query'] = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

export async function readError(response: Response): Promise<ApiError> {
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

/** Calls the Switchyard API with the session cookie; resolves with the JSON body or throws ApiError. */
export async function api<TResult>(path: string, options: RequestOptions = {}): Promise<TResult> {
  const method = options.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError({ status: 0, code: 'network_error', message: 'Could not reach the Switchyard server' });
  }
  if (!response.ok) throw await readError(response);
  if (response.status === 204) return undefined as TResult;
  return (await response.json()) as TResult;
}
