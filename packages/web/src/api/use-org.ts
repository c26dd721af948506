import type { Org } from '@switchyard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createOrg, getOrg, type OrgChanges, updateOrg } from './org.js';
import { ME_KEY, ORG_KEY, USAGE_KEY } from './query-keys.js';

/** The current org: its plan, the limits in force and the plan's above them, payloads, suspension. */
export function useOrg() {
  return useQuery({ queryKey: ORG_KEY, queryFn: ({ signal }) => getOrg({ signal }) });
}

/**
 * Saves the org's name or payload logging; `onSaved` sees the org as the server now has it. The
 * sidebar shows the org's name from /api/me, so that is read again.
 */
export function useUpdateOrgSettings(onSaved: (org: Org) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: Pick<OrgChanges, 'name' | 'logPayloads'>) => updateOrg(changes),
    onSuccess: async (updated) => {
      queryClient.setQueryData(ORG_KEY, updated);
      onSaved(updated);
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  });
}

/** Saves the org's own limits; usage shows the limits in force, so it is read again. */
export function useUpdateOrgLimits(onSaved: (org: Org) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (limits: NonNullable<OrgChanges['limits']>) => updateOrg({ limits }),
    onSuccess: async (updated) => {
      queryClient.setQueryData(ORG_KEY, updated);
      onSaved(updated);
      await queryClient.invalidateQueries({ queryKey: USAGE_KEY });
    },
  });
}

/** Creates another org, owned by the user; the menu's list of orgs comes from /api/me. */
export function useCreateOrg(onCreated: () => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => createOrg(name),
    onSuccess: async () => {
      onCreated();
      await queryClient.invalidateQueries({ queryKey: ME_KEY });
    },
  });
}
