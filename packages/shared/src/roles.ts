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

/** The lesser of two roles. */
export function lesserRole(first: Role, second: Role): Role {
  return roleAtLeast(first, second) ? second : first;
}

/**
 * The scopes a key may be given by someone of `role`, and keeps only while its creator holds it:
 * `admin` reaches the admin API, so only admins and owners can hand it out.
 */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  viewer: [],
  member: ['gateway', 'ingest'],
  admin: ['gateway', 'ingest', 'admin'],
  owner: ['gateway', 'ingest', 'admin'],
};

/** The role a key with the `admin` scope acts with on /api: the lesser of `admin` and its creator's role. */
export const KEY_ROLE_CEILING: Role = 'admin';
