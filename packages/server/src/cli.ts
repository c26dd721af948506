import { planSchema, roleSchema, type Scope, scopeSchema } from '@switchyard/shared';
import { Command, InvalidArgumentError, Option } from 'commander';
import { createApiKey, listApiKeys, revokeApiKey } from './auth/keys/api-keys.js';
import { KEY_REVOKED_CHANNEL } from './auth/keys/key-resolver.js';
import { addMember } from './auth/members.js';
import { registerOperatorCommands } from './auth/operator-commands.js';
import { createOrg, findOrgBySlug } from './auth/orgs.js';
import { createUser, findUserByEmail } from './auth/users.js';
import { createCliContext } from './cli/cli-context.js';
import { CliError } from './cli/cli-error.js';
import { ConfigError } from './config.js';
import { randomBase62 } from './crypto/secrets.js';
import type { DatabaseHandle } from './db/client.js';
import { DataDirInUseError } from './db/data-dir-lock.js';
import { registerAlertCommands } from './ops/alerts/alert-commands.js';
import { registerBackupCommands } from './ops/backup/backup-commands.js';
import { BackupError } from './ops/backup/backup-file.js';
import { PostgresToolError } from './ops/backup/postgres-tools.js';
import { startServer } from './server.js';
import { registerTelemetryCommands } from './telemetry/telemetry-commands.js';

function readEnvFile(): void {
  try {
    process.loadEnvFile('.env');
  } catch {
    // No .env file: the environment alone configures us.
  }
}

async function requireOrg(database: DatabaseHandle, slug: string) {
  const org = await findOrgBySlug(database.db, slug);
  if (!org) throw new CliError(`No org with slug "${slug}" (see the slug printed by "switchyard org create")`);
  return org;
}

function parseChoice<T>(
  schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
  what: string,
) {
  return (value: string): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError(`not a valid ${what}`);
    return parsed.data;
  };
}

function parseScopes(value: string): Scope[] {
  const scopes = value.split(',').map((scope) => scope.trim());
  for (const scope of scopes) {
    if (!scopeSchema.safeParse(scope).success)
      throw new InvalidArgumentError(`"${scope}" is not one of ${scopeSchema.options.join(', ')}`);
  }
  return scopes as Scope[];
}

function printFirstRun(url: string, firstRun: { email: string; password: string; apiKey: string; orgSlug: string }) {
  const lines = [
    '',
    '  Switchyard is ready, and this is a new installation. Shown once, save them now:',
    '',
    `    Dashboard   ${url}`,
    `    Login       ${firstRun.email}`,
    `    Password    ${firstRun.password}`,
    `    API key     ${firstRun.apiKey}`,
    `    Org         ${firstRun.orgSlug}`,
    '',
    '  Try it:',
    `    curl ${url}/v1/models -H "Authorization: Bearer ${firstRun.apiKey}"`,
    '',
    '  Record telemetry from your app (docs/telemetry.md):',
    `    @switchyard/sdk (packages/sdk) with SWITCHYARD_URL=${url} SWITCHYARD_API_KEY=<the key>`,
    `    or any OpenTelemetry exporter: OTEL_EXPORTER_OTLP_ENDPOINT=${url}/otel`,
    '',
  ];
  process.stderr.write(`${lines.join('\n')}\n`);
}

export function buildCli(): Command {
  const program = new Command('switchyard')
    .description('Switchyard: LLM gateway, telemetry, dashboard and operations in one server.')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  const context = createCliContext();

  program
    .command('start', { isDefault: true })
    .description('Run the server (migrates, and on an empty database creates the first org, login and API key)')
    .action(async () => {
      const config = context.loadConfig();
      const server = await startServer(config);
      if (server.firstRun) printFirstRun(server.url, server.firstRun);
      else process.stderr.write(`Switchyard listening on ${server.url}\n`);
      let stopping = false;
      const shutdown = (signal: string) => {
        if (stopping) return;
        stopping = true;
        server.app.log.info({ signal }, 'shutting down');
        const deadline = setTimeout(() => {
          server.app.log.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms; exiting`);
          process.exit(1);
        }, config.shutdownTimeoutMs);
        deadline.unref();
        server.stop().then(
          () => process.exit(0),
          (error) => {
            server.app.log.error({ err: error }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    });

  program
    .command('migrate')
    .description('Apply pending database migrations and exit')
    .action(async () => {
      await context.withDatabase(async () => {});
      process.stdout.write('Migrations applied.\n');
    });

  const org = program.command('org').description('Manage organizations');
  org
    .command('create')
    .description('Create an organization')
    .argument('<name>', 'display name')
    .addOption(new Option('--plan <plan>', 'plan').choices(planSchema.options).default('free'))
    .action(async (name: string, options: { plan: 'free' | 'pro' | 'enterprise' }) => {
      await context.withDatabase(async ({ db }) => {
        const row = await createOrg(db, { name, plan: options.plan });
        process.stdout.write(`Created org "${row.name}" (slug ${row.slug}, plan ${row.plan}, id ${row.id})\n`);
      });
    });

  const user = program.command('user').description('Manage users');
  user
    .command('create')
    .description('Create a user (or add an existing one) as a member of an org')
    .requiredOption('--email <email>', 'login email')
    .requiredOption('--org <slug>', 'org slug')
    .option('--role <role>', 'owner | admin | member | viewer', parseChoice(roleSchema, 'role'), 'member')
    .option('--password <password>', 'password (at least 10 characters); generated and printed when absent')
    .option('--name <name>', 'display name')
    .action(
      async (options: {
        email: string;
        org: string;
        role: 'owner' | 'admin' | 'member' | 'viewer';
        password?: string;
        name?: string;
      }) => {
        if (options.password !== undefined && options.password.length < 10)
          throw new CliError('--password must be at least 10 characters');
        await context.withDatabase(async ({ db }) => {
          const target = await requireOrg({ db } as DatabaseHandle, options.org);
          const email = options.email.toLowerCase();
          let account = await findUserByEmail(db, email);
          let password: string | undefined;
          if (!account) {
            password = options.password ?? randomBase62(20);
            account = await createUser(db, { email, password, name: options.name });
            if (!account) throw new CliError(`Could not create ${email}`);
          }
          await addMember(db, { orgId: target.id, userId: account.id, role: options.role });
          process.stdout.write(`${email} is ${options.role} of ${target.slug}\n`);
          if (password && !options.password) process.stdout.write(`Password (shown once): ${password}\n`);
        });
      },
    );

  const keys = program.command('keys').description('Manage API keys');
  keys
    .command('create')
    .description('Create an API key and print its secret (shown once)')
    .requiredOption('--org <slug>', 'org slug')
    .option('--name <name>', 'a name to recognise the key by', 'CLI key')
    .option('--scopes <list>', 'comma-separated: gateway,ingest,admin', parseScopes, ['gateway', 'ingest'] as Scope[])
    .action(async (options: { org: string; name: string; scopes: Scope[] }) => {
      await context.withDatabase(async (database) => {
        const target = await requireOrg(database, options.org);
        const { row, secret } = await createApiKey(database.db, {
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
      await context.withDatabase(async (database) => {
        const target = await requireOrg(database, options.org);
        let cursor: string | undefined;
        do {
          const page = await listApiKeys(database.db, { orgId: target.id, limit: 200, cursor });
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

  registerTelemetryCommands(program, {
    withDatabase: context.withDatabase,
    requireOrg,
  });

  registerAlertCommands(program, { withDatabase: context.withDatabase, requireOrg });
  registerOperatorCommands(program, {
    withDatabase: context.withDatabase,
    fail: (message) => {
      throw new CliError(message);
    },
  });
  registerBackupCommands(program, context);

  keys
    .command('revoke')
    .description('Revoke an API key (running replicas drop it within a second)')
    .argument('<id>', 'key id (from "keys list")')
    .requiredOption('--org <slug>', 'org slug')
    .action(async (id: string, options: { org: string }) => {
      await context.withDatabase(async (database) => {
        const target = await requireOrg(database, options.org);
        if (!/^[0-9a-f-]{36}$/i.test(id)) throw new CliError(`"${id}" is not a key id (see "switchyard keys list")`);
        const row = await revokeApiKey(database.db, { orgId: target.id, id, now: new Date() });
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

  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  readEnvFile();
  try {
    await buildCli().parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (
      error instanceof ConfigError ||
      error instanceof CliError ||
      error instanceof DataDirInUseError ||
      error instanceof BackupError ||
      error instanceof PostgresToolError
    ) {
      process.stderr.write(`switchyard: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
