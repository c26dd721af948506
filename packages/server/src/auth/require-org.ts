import { CliError } from '../cli/cli-error.js';
import type { Database } from '../db/client.js';
import { findOrgBySlug } from './orgs.js';

/** The org a command names with `--org <slug>`; a CliError says where the slug is found when none has it. */
export async function requireOrg(db: Database, slug: string) {
  const org = await findOrgBySlug(db, slug);
  if (!org) throw new CliError(`No org with slug "${slug}" (see the slug printed by "switchyard org create")`);
  return org;
}
