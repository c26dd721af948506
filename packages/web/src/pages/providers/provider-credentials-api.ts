import type { ProviderCredential, ProviderCredentialBody } from '@switchyard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';

export const PROVIDER_CREDENTIALS_KEY = ['providers'] as const;

export function useProviderCredentials() {
  return useQuery({
    queryKey: PROVIDER_CREDENTIALS_KEY,
    queryFn: async ({ signal }) => (await api<{ data: ProviderCredential[] }>('/api/providers', { signal })).data,
  });
}

/** Adds a provider, or replaces one (`id`) with its whole body: a replaced key is gone for good. */
export function useSaveProviderCredential() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: ProviderCredentialBody }) =>
      id
        ? api<ProviderCredential>(`/api/providers/${id}`, { method: 'PUT', body })
        : api<ProviderCredential>('/api/providers', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: PROVIDER_CREDENTIALS_KEY }),
  });
}

export function useDeleteProviderCredential() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/providers/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: PROVIDER_CREDENTIALS_KEY }),
  });
}
