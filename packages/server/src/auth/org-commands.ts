import { type Plan, planSchema } from '@switchyard/shared';
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
    .addOption(
      new Option('--plan <plan>', 'plan (default: DEFAULT_PLAN, itself free by default)').choices(planSchema.options),
    )
    .option('--server-providers', 'let the org call the server-wide provider keys under SHARED_PROVIDERS=first')
    .action(async (name: string, options: { plan?: Plan; serverProviders?: boolean }) => {
      const plan = options.plan ?? context.loadConfig().defaultPlan;
      await context.withDatabase(async ({ db }) => {
        const row = await createOrg(db, { name, plan, serverProviders: options.serverProviders === true });
        const providers = row.serverProviders ? ', server providers' : '';
        process.stdout.write(
          `Created org "${row.name}" (slug ${row.slug}, plan ${row.plan}${providers}, id ${row.id})\n`,
        );
      });
    });
}
