import type { Command } from 'commander';
import type { CliContext } from './cli/cli-context.js';
import { startServer } from './server.js';

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

/** `switchyard start` and `switchyard migrate`: the server itself, and its database's schema. */
export function registerServerCommands(program: Command, context: CliContext): void {
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
      await context.withDatabase(async () => {}, { create: true });
      process.stdout.write('Migrations applied.\n');
    });
}
