import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { CliError } from '../cli/cli-error.js';
import { listOperators, setOperator } from './users.js';

/**
 * `switchyard operator grant|revoke|list`: who may act above the orgs (plans, limits, server prices,
 * suspensions). The installation's first user is one; these name the others.
 */
export function registerOperatorCommands(program: Command, context: CliContext): void {
  const operator = program
    .command('operator')
    .description('Instance operators: who sets plans, limits and server prices, and sees every org');

  const change = (isOperator: boolean) => async (email: string) => {
    await context.withDatabase(async ({ db }) => {
      if (!isOperator && (await listOperators(db)).every((user) => user.email === email.toLowerCase())) {
        throw new CliError(`${email} is the last operator; grant someone else first`);
      }
      const user = await setOperator(db, { email, isOperator });
      if (!user) throw new CliError(`No user with email ${email} (create one with "switchyard user create")`);
      process.stdout.write(`${user.email} ${isOperator ? 'is now an operator' : 'is no longer an operator'}\n`);
    });
  };

  operator
    .command('grant')
    .description('Make a user an instance operator (they see the Operator area when they next load the dashboard)')
    .argument('<email>', "the user's login email")
    .action(change(true));

  operator
    .command('revoke')
    .description("Take a user's operator role away (the last operator cannot be revoked)")
    .argument('<email>', "the user's login email")
    .action(change(false));

  operator
    .command('list')
    .description('List the instance operators')
    .action(async () => {
      await context.withDatabase(async ({ db }) => {
        for (const user of await listOperators(db)) process.stdout.write(`${user.email}\n`);
      });
    });
}
