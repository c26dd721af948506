import { formatUsd, METRIC_GROUPS, type MetricsQuery } from '@switchyard/shared';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { requireOrg } from '../auth/commands.js';
import type { CliContext } from '../cli/cli-context.js';
import { queryMetrics } from './queries/metrics-query.js';
import { listTraces } from './queries/trace-queries.js';

const positiveInteger = (max: number) => (value: string) => {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1 || number > max)
    throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
  return number;
};

const usd = (value: number | null) => (value === null ? '—' : formatUsd(value));
const tokens = (value: number) =>
  value >= 1e6 ? `${(value / 1e6).toFixed(1)}M` : value >= 1e3 ? `${(value / 1e3).toFixed(1)}k` : String(value);
const ms = (value: number | null) =>
  value === null ? '—' : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;

/** Prints rows as aligned columns under a header. */
function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  for (const row of [header, ...rows])
    process.stdout.write(
      `${row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd()}\n`,
    );
}

/** `switchyard traces` and `switchyard usage`: what was recorded, from the command line. */
export function registerTelemetryCommands(program: Command, context: CliContext): void {
  program
    .command('traces')
    .description("List an org's most recent traces (gateway calls, SDK and OpenTelemetry traces)")
    .requiredOption('--org <slug>', 'org slug')
    .option('--limit <n>', 'how many (1–200)', positiveInteger(200), 20)
    .option('--user <id>', 'only this user id')
    .option('--session <id>', 'only this session id')
    .option('--errors', 'only traces with a failed step')
    .option('--json', 'print JSON lines')
    .action(
      async (options: {
        org: string;
        limit: number;
        user?: string;
        session?: string;
        errors?: boolean;
        json?: boolean;
      }) => {
        await context.withDatabase(async (database) => {
          const org = await requireOrg(database.db, options.org);
          const page = await listTraces(database.db, org.id, {
            limit: options.limit,
            userId: options.user,
            sessionId: options.session,
            status: options.errors ? 'error' : undefined,
          });
          if (options.json) {
            for (const trace of page.data) process.stdout.write(`${JSON.stringify(trace)}\n`);
            return;
          }
          if (page.data.length === 0) {
            process.stdout.write(
              'No traces yet. Send a request through the gateway, or events with @switchyard/sdk.\n',
            );
            return;
          }
          printTable(
            ['started', 'trace', 'name', 'status', 'latency', 'tokens in/out', 'cost', 'models'],
            page.data.map((trace) => [
              trace.startTime.replace('T', ' ').slice(0, 19),
              trace.id,
              trace.name ?? '',
              trace.status,
              ms(trace.latencyMs),
              `${tokens(trace.inputTokens)}/${tokens(trace.outputTokens)}`,
              usd(trace.costUsd),
              trace.models.join(','),
            ]),
          );
        });
      },
    );

  program
    .command('usage')
    .description("An org's requests, errors, tokens, cost and latency over the last days, from the rollups")
    .requiredOption('--org <slug>', 'org slug')
    .option('--days <n>', 'how many days back (1–366)', positiveInteger(366), 7)
    .addOption(new Option('--by <group>', 'what to group by').choices(METRIC_GROUPS).default('model'))
    .option('--json', 'print JSON')
    .action(
      async (options: { org: string; days: number; by: NonNullable<MetricsQuery['groupBy']>; json?: boolean }) => {
        await context.withDatabase(async (database) => {
          const org = await requireOrg(database.db, options.org);
          const now = new Date();
          const metrics = await queryMetrics(
            database.db,
            org.id,
            {
              from: new Date(now.getTime() - options.days * 24 * 3600_000).toISOString(),
              to: now.toISOString(),
              bucket: 'day',
              groupBy: options.by,
            },
            now,
          );
          if (options.json) {
            process.stdout.write(`${JSON.stringify(metrics)}\n`);
            return;
          }
          const groups = new Map<string, typeof metrics.points>();
          for (const point of metrics.points)
            groups.set(point.group ?? '—', [...(groups.get(point.group ?? '—') ?? []), point]);
          const rows = [...groups.entries()].map(([group, points]) => {
            const sum = (pick: (point: (typeof points)[number]) => number) =>
              points.reduce((total, point) => total + pick(point), 0);
            return [
              group,
              String(sum((point) => point.requests)),
              String(sum((point) => point.errors)),
              tokens(sum((point) => point.inputTokens)),
              tokens(sum((point) => point.outputTokens)),
              usd(sum((point) => point.costUsd)),
            ];
          });
          process.stdout.write(`Last ${options.days} days, by ${options.by}:\n`);
          printTable(['group', 'requests', 'errors', 'tokens in', 'tokens out', 'cost'], rows);
          const { totals } = metrics;
          process.stdout.write(
            `\nTotal: ${totals.requests} requests, ${totals.errors} errors, ${usd(totals.costUsd)}; latency p50 ${ms(totals.latencyMs.p50)}, p95 ${ms(totals.latencyMs.p95)}\n`,
          );
        });
      },
    );
}
