import type { Invitation, Member } from '@switchyard/shared';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.js';

export const MEMBERS_KEY = ['members'] as const;
export const INVITATIONS_KEY = ['invitations'] as const;

export function useMembers() {
  return useQuery({
    queryKey: MEMBERS_KEY,
    queryFn: async () => (await api<{ data: Member[] }>('/api/members')).data,
  });
}

/** Invitations are admin-only on the server: everyone else never asks. */
export function useInvitations({ enabled }: { enabled: boolean }) {
  return useQuery({
    queryKey: INVITATIONS_KEY,
    queryFn: async () => (await api<{ data: Invitation[] }>('/api/invitations')).data,
    enabled,
  });
}

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** "12 Mar 2025": joined and expiry dates, where the time of day says nothing. */
export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso));
}
