import { createKey } from './keys.js';

// The Playground and route tests go through the real gateway with a real key: one "Playground" key
// per browser and org, created on first use, listed (and revocable) on the API keys page.
const storageKey = (orgId: string) => `switchyard:playground-key:${orgId}`;

export function storedPlaygroundKey(orgId: string): string | null {
  return window.localStorage.getItem(storageKey(orgId));
}

export function forgetPlaygroundKey(orgId: string): void {
  window.localStorage.removeItem(storageKey(orgId));
}

export async function createPlaygroundKey(options: { orgId: string; email: string }): Promise<string> {
  const created = await createKey({ name: `Playground (${options.email})`, scopes: ['gateway'] });
  window.localStorage.setItem(storageKey(options.orgId), created.secret);
  return created.secret;
}
