import type { Route, RouteBody } from '@switchyard/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';

export const ROUTES_KEY = ['routes'] as const;

export function useRoutes() {
  return useQuery({
    queryKey: ROUTES_KEY,
    queryFn: async ({ signal }) => (await api<{ data: Route[] }>('/api/routes', { signal })).data,
  });
}

/** Creates a route, or replaces one (`id`): the server takes whole routes only. */
export function useSaveRoute() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: RouteBody }) =>
      id
        ? api<Route>(`/api/routes/${id}`, { method: 'PUT', body })
        : api<Route>('/api/routes', { method: 'POST', body }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ROUTES_KEY }),
  });
}

export function useDeleteRoute() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<void>(`/api/routes/${id}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ROUTES_KEY }),
  });
}
