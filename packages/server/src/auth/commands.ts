import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { registerKeyCommands } from './keys/key-commands.js';
import { registerOperatorCommands } from './operator-commands.js';
import { registerOrgCommands } from './org-commands.js';
import { registerUserCommands } from './user-commands.js';

export { requireOrg } from './require-org.js';

/** `switchyard org|user|keys|operator`: the installation's orgs, logins, API keys and operators. */
export function registerAuthCommands(program: Command, context: CliContext): void {
  registerOrgCommands(program, context);
  registerUserCommands(program, context);
  registerKeyCommands(program, context);
  registerOperatorCommands(program, context);
}
