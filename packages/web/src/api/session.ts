import type { LoginBody, MeResponse, Role, SignupBody } from '@switchyard/shared';
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken } from './client.js';

export const ME_KEY = ['me'] as const;

async function fetchMe(): Promise<MeResponse | null> {
  try {
    const me = await api<MeResponse>('/api/me');
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

/** The signed-in user and org; `null` when signed out. */
export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 60_000, retry: false });
}

const isNotMe = (query: { queryKey: readonly unknown[] }) => query.queryKey[0] !== ME_KEY[0];

/**
 * Moves the cache to the new session or org: nothing of the last one may show. (`clear()` would
 * drop the queries under mounted components without telling them, so nothing would re-render.)
 */
function adopt(queryClient: QueryClient, me: MeResponse): MeResponse {
  setCsrfToken(me.csrfToken);
  queryClient.removeQueries({ type: 'inactive', predicate: isNotMe });
  queryClient.setQueryData(ME_KEY, me);
  void queryClient.resetQueries({ type: 'active', predicate: isNotMe });
  return me;
}

/** Signs in; with an invitation's token, also joins its org and opens it. */
export async function logIn(queryClient: QueryClient, body: LoginBody & { inviteToken?: string }): Promise<MeResponse> {
  const { inviteToken, ...credentials } = body;
  const me = adopt(queryClient, await api<MeResponse>('/api/auth/login', { method: 'POST', body: credentials }));
  if (!inviteToken) return me;
  const { org } = await api<Pick<MeResponse, 'org'>>('/api/invitations/accept', {
    method: 'POST',
    body: { token: inviteToken },
  });
  return switchOrg(queryClient, org.id);
}

export async function signUp(queryClient: QueryClient, body: SignupBody): Promise<MeResponse> {
  return adopt(queryClient, await api<MeResponse>('/api/auth/signup', { method: 'POST', body }));
}

export async function switchOrg(queryClient: QueryClient, orgId: string): Promise<MeResponse> {
  return adopt(queryClient, await api<MeResponse>('/api/auth/switch-org', { method: 'POST', body: { orgId } }));
}

export async function logOut(queryClient: QueryClient): Promise<void> {
  await api('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
  queryClient.clear();
  queryClient.setQueryData(ME_KEY, null);
}

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** Whether the signed-in user's role in the current org is at least `required`. */
export function useCan(required: Role): boolean {
  const { data } = useMe();
  return data ? RANK[data.org.role] >= RANK[required] : false;
}
