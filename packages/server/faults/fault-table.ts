import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One line of the suite's summary: what a case sent, what the server acknowledged and what is stored. */
export type FaultRow = {
  case: string;
  sent: number;
  acknowledged: number;
  found: number;
  /** What was measured beside the counts (503s seen, memory, …). */
  notes: string;
};

export const FAULTS_OUTPUT_DIR = join(import.meta.dirname, '..', '..', '..', 'test-output', 'faults');
// Each test file runs in its own worker: rows go through files, and the global teardown prints them.
const ROWS_DIR = join(FAULTS_OUTPUT_DIR, 'rows');

export function resetFaultRows(): void {
  rmSync(ROWS_DIR, { recursive: true, force: true });
  mkdirSync(ROWS_DIR, { recursive: true });
}

export function recordFaultRow(row: FaultRow): void {
  mkdirSync(ROWS_DIR, { recursive: true });
  const name = row.case.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  writeFileSync(join(ROWS_DIR, `${Date.now()}-${name}.json`), JSON.stringify(row));
}

export function readFaultRows(): FaultRow[] {
  let files: string[] = [];
  try {
    files = readdirSync(ROWS_DIR).sort();
  } catch {
    return [];
  }
  return files.map((file) => JSON.parse(readFileSync(join(ROWS_DIR, file), 'utf8')) as FaultRow);
}

/** The table as markdown: lost = acknowledged − found, which must be 0 on every line. */
export function formatFaultTable(rows: FaultRow[]): string {
  const header = ['case', 'sent', 'acknowledged', 'found', 'lost', 'notes'];
  const lines = rows.map((row) => [
    row.case,
    String(row.sent),
    String(row.acknowledged),
    String(row.found),
    String(row.acknowledged - row.found),
    row.notes,
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...lines.map((line) => line[column]?.length ?? 0)),
  );
  const format = (cells: string[]) =>
    `| ${cells.map((cell, column) => (column > 0 && column < 5 ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join(' | ')} |`;
  const rule = `| ${widths.map((width, column) => (column > 0 && column < 5 ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width))).join(' | ')} |`;
  return [format(header), rule, ...lines.map(format)].join('\n');
}

/** Prints the table and writes it to test-output/faults/summary.md. */
export function writeFaultSummary(options: { durationMs: number }): string {
  const rows = readFaultRows();
  const table = formatFaultTable(rows);
  const lost = rows.reduce((sum, row) => sum + Math.max(0, row.acknowledged - row.found), 0);
  const text = [
    '# Fault-tolerance suite',
    '',
    `Run at ${new Date().toISOString()} in ${Math.round(options.durationMs / 1000)} s (\`npm run test:faults\`).`,
    'For ingest cases the counts are events; for the others, requests (sent / answered as expected / recorded).',
    '',
    table,
    '',
    `Lost in total: ${lost}.`,
    '',
  ].join('\n');
  mkdirSync(FAULTS_OUTPUT_DIR, { recursive: true });
  writeFileSync(join(FAULTS_OUTPUT_DIR, 'summary.md'), text);
  return text;
}
