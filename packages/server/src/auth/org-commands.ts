import { planSchema } from '@switchyard/shared';
import { type Command, Option } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { createOrg } from './orgs.js';

/** `switchyard org create`: an org made from the command line, before anyone can sign in to make one. */
export function registerOrgCommands(program: Command, context: CliContext): void {
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
}
