import { Command } from 'commander';
import { registerAuthCommands } from './auth/commands.js';
import { createCliContext } from './cli/cli-context.js';
import { CliError } from './cli/cli-error.js';
import { ConfigError } from './config.js';
import { DataDirInUseError } from './db/data-dir-lock.js';
import { registerOpsCommands } from './ops/commands.js';
import { startServer } from './server.js';
import { registerTelemetryCommands } from './telemetry/commands.js';

function readEnvFile(): void {
  try {
    process.loadEnvFile('.env');
  } catch {
    // No .env file: the environment alone configures us.
  }
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
