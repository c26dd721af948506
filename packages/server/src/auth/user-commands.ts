import { roleSchema } from '@switchyard/shared';
import { type Command, InvalidArgumentError } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { CliError } from '../cli/cli-error.js';
import { randomBase62 } from '../crypto/secrets.js';
import { addMember } from './members.js';
import { requireOrg } from './require-org.js';
import { createUser, findUserByEmail } from './users.js';

function parseRole(value: string) {
  const parsed = roleSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError('not a valid role');
  return parsed.data;
}

/** `switchyard user create`: a login made, or an existing one added to an org, from the command line. */
export function registerUserCommands(program: Command, context: CliContext): void {
  const user = program.command('user').description('Manage users');
  user
    .command('create')
    .description('Create a user (or add an existing one) as a member of an org')
    .requiredOption('--email <email>', 'login email')
    .requiredOption('--org <slug>', 'org slug')
    .option('--role <role>', 'owner | admin | member | viewer', parseRole, 'member')
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
          const target = await requireOrg(db, options.org);
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
}
