import {
  type ListedPrice,
  listedPriceSchema,
  listSchema,
  type PriceOverride,
  type PriceOverrideBody,
  priceOverrideSchema,
} from '@switchyard/shared';
import { request } from './client.js';

const priceListSchema = listSchema(listedPriceSchema);

/** The prices of the server-wide providers: the operator's (`source: 'server'`), then the built-in table. */
export async function listServerPrices(options: { signal?: AbortSignal } = {}): Promise<ListedPrice[]> {
  return (await request('/api/operator/prices', { signal: options.signal, schema: priceListSchema })).data;
}

/** Sets the price of a model (or a `prefix*`) for every org's calls through the server's providers. */
export function setServerPrice(body: PriceOverrideBody): Promise<PriceOverride> {
  return request('/api/operator/prices', { method: 'PUT', body, schema: priceOverrideSchema });
}

/** Removes an operator's price: the built-in one, if any, applies again. */
export function removeServerPrice(id: string): Promise<void> {
  return request(`/api/operator/prices/${id}`, { method: 'DELETE' });
}
