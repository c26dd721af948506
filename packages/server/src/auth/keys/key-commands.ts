import { type Scope, scopeSchema } from '@switchyard/shared';
import { type Command, InvalidArgumentError } from 'commander';
import type { CliContext } from '../../cli/cli-context.js';
import { CliError } from '../../cli/cli-error.js';
import { requireOrg } from '../require-org.js';
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.js';
import { KEY_REVOKED_CHANNEL } from './key-resolver.js';

function parseScopes(value: string): Scope[] {
  const scopes = value.split(',').map((scope) => scope.trim());
  for (const scope of scopes) {
    if (!scopeSchema.safeParse(scope).success)
      throw new InvalidArgumentError(`"${scope}" is not one of ${scopeSchema.options.join(', ')}`);
  }
  return scopes as Scope[];
}

/** `switchyard keys create|list|revoke`: an org's API keys, from the command line. */
export function registerKeyCommands(program: Command, context: CliContext): void {
  const keys = program.command('keys').description('Manage API keys');
  keys
    .command('create')
    .description('Create an API key and print its secret (shown once)')
    .requiredOption('--org <slug>', 'org slug')
    .option('--name <name>', 'a name to recognise the key by', 'CLI key')
    .option('--scopes <list>', 'comma-separated: gateway,ingest,admin', parseScopes, ['gateway', 'ingest'] as Scope[])
    .action(async (options: { org: string; name: string; scopes: Scope[] }) => {
      await context.withDatabase(async ({ db }) => {
        const target = await requireOrg(db, options.org);
        const { row, secret } = await createApiKey(db, {
          orgId: target.id,
          name: options.name,
          scopes: options.scopes,
          createdBy: null,
        });
        process.stdout.write(
          `Created key ${row.id} "${row.name}" [${row.scopes.join(',')}] for ${target.slug}\n${secret}\n`,
        );
      });
    });

  keys
    .command('list')
    .description("List an org's API keys")
    .requiredOption('--org <slug>', 'org slug')
    .option('--json', 'print JSON lines')
    .action(async (options: { org: string; json?: boolean }) => {
      await context.withDatabase(async ({ db }) => {
        const target = await requireOrg(db, options.org);
        let cursor: string | undefined;
        do {
          const page = await listApiKeys(db, { orgId: target.id, limit: 200, cursor });
          for (const key of page.data) {
            if (options.json) process.stdout.write(`${JSON.stringify(key)}\n`);
            else {
              const state = key.revokedAt ? `revoked ${key.revokedAt}` : `last used ${key.lastUsedAt ?? 'never'}`;
              process.stdout.write(`${key.id}  ${key.prefix}…  ${key.name}  [${key.scopes.join(',')}]  ${state}\n`);
            }
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
      });
    });

  keys
    .command('revoke')
    .description('Revoke an API key (running replicas drop it within a second)')
    .argument('<id>', 'key id (from "keys list")')
    .requiredOption('--org <slug>', 'org slug')
    .action(async (id: string, options: { org: string }) => {
      await context.withDatabase(async ({ db }) => {
        const target = await requireOrg(db, options.org);
        if (!/^[0-9a-f-]{36}$/i.test(id)) throw new CliError(`"${id}" is not a key id (see "switchyard keys list")`);
        const row = await revokeApiKey(db, { orgId: target.id, id, now: new Date() });
        if (!row) throw new CliError(`No key ${id} in ${target.slug}`);
        try {
          await context.withRedis((kv) => kv.publish(KEY_REVOKED_CHANNEL, row.secretHash));
        } catch (error) {
          throw new CliError(
            `Revoked ${row.id} in the database, but could not tell running servers through Redis (${(error as Error).message}); they drop it from their caches within 10 minutes`,
          );
        }
        process.stdout.write(`Revoked ${row.id} "${row.name}"\n`);
      });
    });
}
