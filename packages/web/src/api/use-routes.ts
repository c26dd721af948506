import type { RouteBody } from '@switchyard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ROUTES_KEY } from './query-keys.js';
import { createRoute, deleteRoute, listRoutes, replaceRoute } from './routes.js';

export function useRoutes() {
  return useQuery({ queryKey: ROUTES_KEY, queryFn: ({ signal }) => listRoutes({ signal }) });
}

/** Creates a route, or replaces one (`id`): the server takes whole routes only. */
export function useSaveRoute() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: RouteBody }) => (id ? replaceRoute(id, body) : createRoute(body)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ROUTES_KEY }),
  });
}

export function useDeleteRoute() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteRoute(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ROUTES_KEY }),
  });
}
