import { resetFaultRows, writeFaultSummary } from './fault-table.js';

// The cases run the real bin, which loads the built bundle: build it once, then print the table at the end.
export default async function setup(): Promise<() => void> {
  const started = performance.now();
  // @ts-expect-error plain ESM build script without type declarations
  const { buildAll } = await import('../../../scripts/build.mjs');
  await buildAll({ quiet: true });
  resetFaultRows();
  return () => {
    process.stdout.write(`\n${writeFaultSummary({ durationMs: performance.now() - started })}\n`);
  };
}
