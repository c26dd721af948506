import { z } from 'zod';

/** Ordered from least to most powerful. */
export const ROLES = ['viewer', 'member', 'admin', 'owner'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** True when `role` is at least as powerful as `required`. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** What an API key may call: `gateway` → /v1 model routes, `ingest` → telemetry, `admin` → /api. */
export const SCOPES = ['gateway', 'ingest', 'admin'] as const;
export const scopeSchema = z.enum(SCOPES);
export type Scope = z.infer<typeof scopeSchema>;
