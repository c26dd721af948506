import type { Member, Role } from '@switchyard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { changeMemberRole, listMembers, removeMember } from './members.js';
import { KEYS_KEY, ME_KEY, MEMBERS_KEY } from './query-keys.js';

export function useMembers() {
  return useQuery({ queryKey: MEMBERS_KEY, queryFn: () => listMembers() });
}

/**
 * Changes one member's role; the table shows the server's answer at once. Changing your own role
 * (`isSelf`) changes what this dashboard lets you do, so the session is read again.
 */
export function useChangeMemberRole(options: { userId: string; isSelf: boolean }) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (role: Role) => changeMemberRole({ userId: options.userId, role }),
    onSuccess: async (updated) => {
      queryClient.setQueryData<Member[]>(MEMBERS_KEY, (members) =>
        members?.map((candidate) => (candidate.userId === updated.userId ? updated : candidate)),
      );
      await queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
      if (options.isSelf) await queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  });
}

/** Removes a member, then reads the members and the keys (theirs are revoked) again. */
export function useRemoveMember() {
  const queryClient = useQueryClient();
  return async (userId: string) => {
    await removeMember(userId);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: MEMBERS_KEY }),
      queryClient.invalidateQueries({ queryKey: KEYS_KEY }),
    ]);
  };
}
