import { describeCondition, describeWebhook, formatAlertValue } from '@switchyard/shared';
import type { Command } from 'commander';
import { requireOrg } from '../../auth/commands.js';
import type { CliContext } from '../../cli/cli-context.js';
import { listAlertRules } from './alert-store.js';

/** `switchyard alerts list`: an org's alert rules and where each stands, from the command line. */
export function registerAlertCommands(program: Command, context: CliContext): void {
  const alerts = program
    .command('alerts')
    .description("An org's alert rules (create and edit them in the dashboard or /api/alerts)");
  alerts
    .command('list')
    .description("List an org's alert rules with their state and last measured value")
    .requiredOption('--org <slug>', 'org slug')
    .option('--json', 'print JSON lines')
    .action(async (options: { org: string; json?: boolean }) => {
      await context.withDatabase(async (database) => {
        const org = await requireOrg(database.db, options.org);
        let cursor: string | undefined;
        let count = 0;
        do {
          const page = await listAlertRules(database.db, { orgId: org.id, limit: 200, cursor });
          for (const rule of page.data) {
            count++;
            if (options.json) {
              process.stdout.write(`${JSON.stringify(rule)}\n`);
              continue;
            }
            const state = rule.enabled
              ? rule.state === 'firing'
                ? `FIRING since ${rule.firingSince}`
                : 'ok'
              : 'disabled';
            process.stdout.write(
              `${rule.id}  ${rule.name}  [${state}]\n    ${describeCondition(rule.condition)}; last value ${formatAlertValue(rule.condition.metric, rule.lastValue)}; to ${describeWebhook(rule.webhookUrl)}\n`,
            );
          }
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        if (count === 0 && !options.json)
          process.stdout.write(
            "No alert rules yet. Create one on the dashboard's Alerts page or with POST /api/alerts.\n",
          );
      });
    });
}
