// Plain constants, no zod: the dashboard imports these without loading the schema library.

/** Ordered from least to most powerful. */
export const ROLES = ['viewer', 'member', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

/** True when `role` is at least as powerful as `required`. */
export function roleAtLeast(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}

/** What an API key may call: `gateway` → /v1 model routes, `ingest` → telemetry, `admin` → /api. */
export const SCOPES = ['gateway', 'ingest', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];
