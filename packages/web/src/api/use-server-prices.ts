import type { PriceOverrideBody } from '@switchyard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { OPERATOR_KEY } from './query-keys.js';
import { listServerPrices, removeServerPrice, setServerPrice } from './server-prices.js';

const SERVER_PRICES_KEY = [...OPERATOR_KEY, 'prices'] as const;

/** The prices of the server-wide providers: the operator's (`source: 'server'`), then the built-in table. */
export function useServerPrices() {
  return useQuery({ queryKey: SERVER_PRICES_KEY, queryFn: ({ signal }) => listServerPrices({ signal }) });
}

/** Sets the price of a model (or a `prefix*`) for every org's calls through the server's providers. */
export function useSetServerPrice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: PriceOverrideBody) => setServerPrice(body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SERVER_PRICES_KEY }),
  });
}

/** Removes an operator's price: the built-in one, if any, applies again. */
export function useRemoveServerPrice() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => removeServerPrice(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: SERVER_PRICES_KEY }),
  });
}
