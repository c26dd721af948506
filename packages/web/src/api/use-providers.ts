import type { ProviderCredentialBody } from '@switchyard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createProvider, deleteProvider, listProviders, replaceProvider } from './providers.js';
import { PROVIDERS_KEY } from './query-keys.js';

export function useProviderCredentials() {
  return useQuery({ queryKey: PROVIDERS_KEY, queryFn: ({ signal }) => listProviders({ signal }) });
}

/** Adds a provider, or replaces one (`id`) with its whole body: a replaced key is gone for good. */
export function useSaveProviderCredential() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: ProviderCredentialBody }) =>
      id ? replaceProvider(id, body) : createProvider(body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: PROVIDERS_KEY }),
  });
}

export function useDeleteProviderCredential() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteProvider(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: PROVIDERS_KEY }),
  });
}
