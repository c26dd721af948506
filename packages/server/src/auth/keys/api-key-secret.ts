import { randomBase62 } from '../../crypto/secrets.js';

const PREFIX_LENGTH = 8;
// 43 base62 characters carry 256 bits, the "32 random bytes" of DESIGN.md.
const SECRET_LENGTH = 43;
const SECRET_PATTERN = new RegExp(`^sy-([0-9A-Za-z]{${PREFIX_LENGTH}})-[0-9A-Za-z]{${SECRET_LENGTH}}$`);

/** A new `sy-<prefix>-<secret>` key and the part of it safe to display. */
export function generateApiKeySecret(): { secret: string; prefix: string } {
  const prefix = `sy-${randomBase62(PREFIX_LENGTH)}`;
  return { secret: `${prefix}-${randomBase62(SECRET_LENGTH)}`, prefix };
}

/** Cheap shape check that keeps garbage off the cache and the database. */
export function looksLikeApiKey(value: string): boolean {
  return SECRET_PATTERN.test(value);
}
