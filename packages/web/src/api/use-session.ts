import type { LoginBody, MeResponse, Role, SignupBody } from '@switchyard/shared';
import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { getMe, logIn, logOut, signUp, switchOrg } from './auth.js';
import { setCsrfToken } from './client.js';
import { acceptInvitation } from './invitations.js';
import { ME_KEY } from './query-keys.js';

/** The signed-in user and org; `null` when signed out. */
export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: getMe, staleTime: 60_000, retry: false });
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

/** Switches to another of the user's orgs. */
export function useSwitchOrg() {
  const queryClient = useQueryClient();
  return async (orgId: string) => adopt(queryClient, await switchOrg(orgId));
}

/** Signs in; with an invitation's token, also joins its org and opens it. */
export function useLogIn() {
  const queryClient = useQueryClient();
  return async (body: LoginBody & { inviteToken?: string }): Promise<MeResponse> => {
    const { inviteToken, ...credentials } = body;
    const me = adopt(queryClient, await logIn(credentials));
    if (!inviteToken) return me;
    const { org } = await acceptInvitation(inviteToken);
    return adopt(queryClient, await switchOrg(org.id));
  };
}

export function useSignUp() {
  const queryClient = useQueryClient();
  return async (body: SignupBody): Promise<MeResponse> => adopt(queryClient, await signUp(body));
}

/** Signs out and forgets everything the session showed. */
export function useLogOut() {
  const queryClient = useQueryClient();
  return async (): Promise<void> => {
    await logOut();
    queryClient.clear();
    queryClient.setQueryData(ME_KEY, null);
  };
}

const RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

/** Whether the signed-in user's role in the current org is at least `required`. */
export function useCan(required: Role): boolean {
  const { data } = useMe();
  return data ? RANK[data.org.role] >= RANK[required] : false;
}
