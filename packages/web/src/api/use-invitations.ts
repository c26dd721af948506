import type { Role } from '@switchyard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createInvitation, listInvitations, revokeInvitation } from './invitations.js';
import { INVITATIONS_KEY } from './query-keys.js';

/** Invitations are admin-only on the server: everyone else never asks. */
export function useInvitations({ enabled }: { enabled: boolean }) {
  return useQuery({ queryKey: INVITATIONS_KEY, queryFn: () => listInvitations(), enabled });
}

/** Creates an invitation; its sign-up link is in the mutation's `data`, shown this once. */
export function useCreateInvitation(onCreated: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; role: Role }) => createInvitation(body),
    onSuccess: async () => {
      onCreated();
      await queryClient.invalidateQueries({ queryKey: INVITATIONS_KEY });
    },
  });
}

/** Revokes an invitation and reads the list again; resolves when both are done. */
export function useRevokeInvitation() {
  const queryClient = useQueryClient();
  return async (id: string) => {
    await revokeInvitation(id);
    await queryClient.invalidateQueries({ queryKey: INVITATIONS_KEY });
  };
}
