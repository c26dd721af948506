import {
  listSchema,
  type ProviderCredential,
  type ProviderCredentialBody,
  providerCredentialSchema,
} from '@switchyard/shared';
import { request } from './client.js';

const providerListSchema = listSchema(providerCredentialSchema);

/** The org's own providers, their keys never shown again. */
export async function listProviders(options: { signal?: AbortSignal } = {}): Promise<ProviderCredential[]> {
  return (await request('/api/providers', { signal: options.signal, schema: providerListSchema })).data;
}

export function createProvider(body: ProviderCredentialBody): Promise<ProviderCredential> {
  return request('/api/providers', { method: 'POST', body, schema: providerCredentialSchema });
}

/** Replaces a provider with its whole body: a replaced key is gone for good. */
export function replaceProvider(id: string, body: ProviderCredentialBody): Promise<ProviderCredential> {
  return request(`/api/providers/${id}`, { method: 'PUT', body, schema: providerCredentialSchema });
}

export function deleteProvider(id: string): Promise<void> {
  return request(`/api/providers/${id}`, { method: 'DELETE' });
}
