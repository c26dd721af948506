import type { Command } from 'commander';
import type { CliContext } from '../cli/cli-context.js';
import { registerAlertCommands } from './alerts/alert-commands.js';
import { registerBackupCommands } from './backup/backup-commands.js';

/** `switchyard alerts|backup|restore`: an org's alert rules, and the installation's backups. */
export function registerOpsCommands(program: Command, context: CliContext): void {
  registerAlertCommands(program, context);
  registerBackupCommands(program, context);
}
