import { type LoginBody, type MeResponse, meResponseSchema, type SignupBody } from '@switchyard/shared';
import { ApiError, request, setCsrfToken } from './client.js';

/** `GET /api/me`: the signed-in user and org, or `null` when signed out (a 401). */
export async function getMe(): Promise<MeResponse | null> {
  try {
    const me = await request('/api/me', { schema: meResponseSchema });
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function logIn(body: LoginBody): Promise<MeResponse> {
  return request('/api/auth/login', { method: 'POST', body, schema: meResponseSchema });
}

export function signUp(body: SignupBody): Promise<MeResponse> {
  return request('/api/auth/signup', { method: 'POST', body, schema: meResponseSchema });
}

export function switchOrg(orgId: string): Promise<MeResponse> {
  return request('/api/auth/switch-org', { method: 'POST', body: { orgId }, schema: meResponseSchema });
}

/** Ends the session; failing to reach the server changes nothing the browser still holds. */
export async function logOut(): Promise<void> {
  await request('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
}
