import { Command } from 'commander';
import { registerAuthCommands } from './auth/commands.js';
import { createCliContext } from './cli/cli-context.js';
import { CliError } from './cli/cli-error.js';
import { ConfigError } from './config.js';
import { DataDirInUseError } from './db/data-dir-lock.js';
import { registerOpsCommands } from './ops/commands.js';
import { registerServerCommands } from './server-commands.js';
import { registerTelemetryCommands } from './telemetry/commands.js';

function readEnvFile(): void {
  try {
    process.loadEnvFile('.env');
  } catch {
    // No .env file: the environment alone configures us.
  }
}

export function buildCli(): Command {
  const program = new Command('switchyard')
    .description('Switchyard: LLM gateway, telemetry, dashboard and operations in one server.')
    .showHelpAfterError()
    .configureOutput({ outputError: (text, write) => write(text) });
  const context = createCliContext();

  registerServerCommands(program, context);
  registerAuthCommands(program, context);
  registerTelemetryCommands(program, context);
  registerOpsCommands(program, context);

  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  readEnvFile();
  try {
    await buildCli().parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof ConfigError || error instanceof CliError || error instanceof DataDirInUseError) {
      process.stderr.write(`switchyard: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}
