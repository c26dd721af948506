// The CLI tests run the real bin, which loads the built bundle: build it once before the run.
export default async function setup(): Promise<void> {
  // @ts-expect-error plain ESM build script without type declarations
  const { buildAll } = await import('../../../scripts/build.mjs');
  await buildAll({ quiet: true });
}
