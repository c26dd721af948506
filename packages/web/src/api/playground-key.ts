import type { CreatedApiKey } from '@switchyard/shared';
import { ApiError, api, readError } from './client.js';

// The Playground and route tests go through the real gateway with a real key: one "Playground" key
// per browser and org, created on first use, listed (and revocable) on the API keys page.
const storageKey = (orgId: string) => `switchyard:playground-key:${orgId}`;

export function storedPlaygroundKey(orgId: string): string | null {
  return window.localStorage.getItem(storageKey(orgId));
}

export function forgetPlaygroundKey(orgId: string): void {
  window.localStorage.removeItem(storageKey(orgId));
}

export async function createPlaygroundKey(options: { orgId: string; email: string }): Promise<string> {
  const created = await api<CreatedApiKey>('/api/keys', {
    method: 'POST',
    body: { name: `Playground (${options.email})`, scopes: ['gateway'] },
  });
  window.localStorage.setItem(storageKey(options.orgId), created.secret);
  return created.secret;
}

/**
 * `fetch` to `/v1/*` with the browser's playground key. A key that was revoked meanwhile answers
 * 401: it is forgotten, so the next call offers to create a new one.
 */
export async function gatewayFetch(options: {
  orgId: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}): Promise<Response> {
  const key = storedPlaygroundKey(options.orgId);
  if (!key) throw new ApiError({ status: 401, code: 'no_playground_key', message: 'No playground key yet' });
  let response: Response;
  try {
    response = await fetch(options.path, {
      method: options.body === undefined ? 'GET' : 'POST',
      headers: { ...options.headers, authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError({ status: 0, code: 'network_error', message: 'Could not reach the Switchyard server' });
  }
  if (response.status === 401) forgetPlaygroundKey(options.orgId);
  if (!response.ok) throw await readError(response);
  return response;
}
