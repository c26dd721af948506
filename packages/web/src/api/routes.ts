import { listSchema, type Route, type RouteBody, routeSchema } from '@switchyard/shared';
import { request } from './client.js';

const routeListSchema = listSchema(routeSchema);

/** The org's route aliases. */
export async function listRoutes(options: { signal?: AbortSignal } = {}): Promise<Route[]> {
  return (await request('/api/routes', { signal: options.signal, schema: routeListSchema })).data;
}

export function createRoute(body: RouteBody): Promise<Route> {
  return request('/api/routes', { method: 'POST', body, schema: routeSchema });
}

/** The server takes whole routes only. */
export function replaceRoute(id: string, body: RouteBody): Promise<Route> {
  return request(`/api/routes/${id}`, { method: 'PUT', body, schema: routeSchema });
}

export function deleteRoute(id: string): Promise<void> {
  return request(`/api/routes/${id}`, { method: 'DELETE' });
}
