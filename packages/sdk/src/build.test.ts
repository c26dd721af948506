import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bodiesOf, type IngestReceiver, startIngestReceiver } from '../test/ingest-receiver.js';

const run = promisify(execFile);
const sdk = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(sdk, '../..');
const EXPORTS = [
  'SDK_VERSION',
  'SwitchyardClient',
  'SwitchyardError',
  'currentClient',
  'flush',
  'init',
  'score',
  'shutdown',
  'span',
  'trace',
  'wrapAnthropic',
  'wrapOpenAI',
];

// A consumer outside the monorepo: only the package, installed under node_modules, and no @types/node.
let consumer: string;
let receiver: IngestReceiver;

beforeAll(async () => {
  // The package as published (package.json + dist), built into a folder of this run's own, so test
  // runs in parallel (both backends' projects) never rebuild under each other.
  consumer = mkdtempSync(join(tmpdir(), 'switchyard-sdk-consumer-'));
  const installed = join(consumer, 'node_modules/@switchyard/sdk');
  mkdirSync(installed, { recursive: true });
  copyFileSync(join(sdk, 'package.json'), join(installed, 'package.json'));
  await run(process.execPath, [join(sdk, 'build.mjs'), `--out-dir=${join(installed, 'dist')}`], { cwd: root });
  receiver = await startIngestReceiver();
}, 60_000);

afterAll(async () => {
  rmSync(consumer, { recursive: true, force: true });
  await receiver.close();
});

/** A bundle of the installed package by path, past `exports` (which always picks the node flavour in Node). */
const flavour = (file: string) => join(consumer, 'node_modules/@switchyard/sdk/dist', file);

const node = async (file: string, source: string) => {
  writeFileSync(join(consumer, file), source);
  const { stdout } = await run(process.execPath, [file], { cwd: consumer, timeout: 10_000 });
  return stdout.trim();
};

describe('the built package', () => {
  it('loads with require() and import(), in its node and its default flavour', async () => {
    const list = JSON.stringify(EXPORTS);
    const check = (sdkModule: string) =>
      `const missing = ${list}.filter((name) => !(${sdkModule})[name]); if (missing.length) throw new Error('missing ' + missing);`;
    await node('require.cjs', `const sdk = require('@switchyard/sdk'); ${check('sdk')} console.log(typeof sdk.init);`);
    await node('import.mjs', `const sdk = await import('@switchyard/sdk'); ${check('sdk')}`);
    await node('default.cjs', `const sdk = require(${JSON.stringify(flavour('cjs/index.js'))}); ${check('sdk')}`);
    await node('default.mjs', `const sdk = await import(${JSON.stringify(flavour('esm/index.js'))}); ${check('sdk')}`);
  });

  it('nests with a global AsyncLocalStorage (edge runtimes) and still records without one', async () => {
    // The default flavour in Node, made to look like an edge runtime: no process.getBuiltinModule.
    const script = (setup: string) => `
      delete process.getBuiltinModule;
      ${setup}
      const { SwitchyardClient } = await import(${JSON.stringify(flavour('esm/index.js'))});
      const sent = [];
      const fetch = async (url, init) => {
        sent.push(...JSON.parse(init.body).batch);
        return new Response('{"successes":[],"errors":[]}', { status: 207 });
      };
      const client = new SwitchyardClient({ apiKey: 'sy-key', endpoint: 'http://edge.invalid', fetch, mode: 'immediate' });
      const traceId = await client.trace('request', async (trace) => {
        await client.span('step', async () => {});
        return trace.traceId;
      });
      await client.flush();
      const step = sent.find((event) => event.body.name === 'step').body;
      console.log(JSON.stringify({ nested: step.traceId === traceId }));`;
    const withGlobal = await node(
      'edge.mjs',
      script(`globalThis.AsyncLocalStorage = (await import('node:async_hooks')).AsyncLocalStorage;`),
    );
    expect(JSON.parse(withGlobal)).toEqual({ nested: true });
    const without = await node('fetch-only.mjs', script(''));
    expect(JSON.parse(without)).toEqual({ nested: false });
  });

  it('has no zod, no @switchyard/shared, and no node: import outside its node flavour', () => {
    const read = (file: string) => readFileSync(flavour(file), 'utf8');
    for (const bundle of ['esm/index.js', 'esm/index.node.js', 'cjs/index.js', 'cjs/index.node.js']) {
      expect(read(bundle)).not.toMatch(/zod|@switchyard\/shared/);
    }
    for (const bundle of ['esm/index.js', 'cjs/index.js'])
      expect(read(bundle)).not.toMatch(/from "node:|require\("node:/);
    for (const flavour of ['esm', 'cjs']) {
      for (const file of readdirSync(join(consumer, 'node_modules/@switchyard/sdk/dist', flavour)).filter((name) =>
        name.endsWith('.d.ts'),
      )) {
        expect(read(`${flavour}/${file}`)).not.toMatch(/from ["']@switchyard\/shared|import\(["']@switchyard|#async/);
      }
    }
  });

  it('type-checks in an ESM and a CommonJS consumer without @types/node, hiding internals', async () => {
    const usage = `
      const options: SwitchyardOptions = { apiKey: 'sy-key', sampleRate: 0.5, fetch: globalThis.fetch };
      const client = init(options);
      const answer: number = trace('job', (current) => span('step', (step) => step.id.length + current.traceId.length));
      const dropped: number = client.dropped;
      // @ts-expect-error recording internals are not part of the public types
      client.record;
      export { answer, dropped };`;
    writeFileSync(
      join(consumer, 'esm.mts'),
      `import { init, span, trace, type SwitchyardOptions } from '@switchyard/sdk';${usage}`,
    );
    writeFileSync(
      join(consumer, 'cjs.cts'),
      `import { init, span, trace, type SwitchyardOptions } from '@switchyard/sdk';${usage}`,
    );
    writeFileSync(
      join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          strict: true,
          noEmit: true,
          lib: ['es2022', 'dom'],
          types: [],
          // Our .d.ts files are checked; TypeScript's own lib files need not be.
          skipDefaultLibCheck: true,
        },
        files: ['esm.mts', 'cjs.cts'],
      }),
    );
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    const result = await run(process.execPath, [tsc, '-p', consumer]).catch((error: { stdout: string }) => error);
    expect(result.stdout).toBe('');
  });

  it('sends what is queued when a Node script ends by itself, and does not keep it alive', async () => {
    const script = `
      import { init, trace } from '@switchyard/sdk';
      init({ apiKey: ${JSON.stringify(receiver.apiKey)}, endpoint: ${JSON.stringify(receiver.endpoint)}, flushIntervalMs: 60000 });
      trace('from-a-script', () => 'done');`;
    await node('script.mjs', script);
    expect(bodiesOf(receiver, 'trace-create').map((trace) => trace.name)).toEqual(['from-a-script']);
  });
});
