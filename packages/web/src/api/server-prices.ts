import type { ListedPrice, PriceOverride, PriceOverrideBody } from '@switchyard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client.js';
import { OPERATOR_KEY } from './operator-orgs.js';

const SERVER_PRICES_KEY = [...OPERATOR_KEY, 'prices'] as const;

/** The prices of the server-wide providers: the operator's (`source: 'server'`), then the built-in table. */
export function useServerPrices() {
  return useQuery({
    queryKey: SERVER_PRICES_KEY,
    queryFn: async ({ signal }) => (await api<{ data: ListedPrice[] }>('/api/operator/prices', { signal })).data,
  });
}

/** Sets the price of a model (or a `prefix*`) for every org's calls through the server's providers. */
export function useSetServerPrice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PriceOverrideBody) => api<PriceOverride>('/api/operator/prices', { method: 'PUT', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SERVER_PRICES_KEY }),
  });
}

/** Removes an operator's price: the built-in one, if any, applies again. */
export function useRemoveServerPrice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/operator/prices/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SERVER_PRICES_KEY }),
  });
}
