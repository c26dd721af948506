import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pageSchema, traceDetailSchema, traceSummarySchema } from '@switchyard/shared';
import { FAKE_REPLY, FAKE_USAGE, type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, type SessionClient, setPlan, signUp, type TestContext } from './test-app.js';

/**
 * @switchyard/sdk as a user gets it before it is on the registry: `npm pack` in packages/sdk (its
 * prepack builds it), the tarball installed offline into a scratch ESM app and a scratch CommonJS
 * app, the README's example type-checked against the packed .d.ts and run against a real server.
 * Embedded project only (vitest.config.ts): prepack rebuilds packages/sdk/dist, and two projects
 * packing at once would build over each other.
 */

const run = promisify(execFile);
const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const SDK_DIR = join(REPO_ROOT, 'packages/sdk');
const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
const SDK_VERSION = (JSON.parse(readFileSync(join(SDK_DIR, 'package.json'), 'utf8')) as { version: string }).version;
const TARBALL = `switchyard-sdk-${SDK_VERSION}.tgz`;
// What the scratch apps take from the repo's node_modules instead of the network: `openai` for the
// README's example (it has no dependencies) and Node's types for `process`.
const BORROWED = ['openai', '@types/node', 'undici-types'];

let scratch: string;
let packed: Array<{ path: string }>;
let context: TestContext;
let upstream: FakeOpenAi;
let owner: SessionClient;
let appEnv: NodeJS.ProcessEnv;

/** npm as a user runs it: none of the npm_* variables of an `npm test` around us, its own cache, no network. */
function npm(args: string[], cwd: string) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return run('npm', [...args, '--cache', join(scratch, 'npm-cache'), '--no-audit', '--no-fund'], {
    cwd,
    env,
    timeout: 90_000,
  });
}

function codeBlocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, 'gm'))].map(
    (match) => match[1] ?? '',
  );
}

/** A scratch project with the packed SDK installed from the tarball, and `BORROWED` beside it. */
async function scratchApp(name: string, type: 'module' | 'commonjs', tarball: string): Promise<string> {
  const dir = join(scratch, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type }));
  await npm(['install', '--offline', tarball], dir);
  for (const dependency of BORROWED) {
    mkdirSync(join(dir, 'node_modules', dependency, '..'), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', dependency), join(dir, 'node_modules', dependency));
  }
  return dir;
}

/** Type-checks `file` against the installed .d.ts (and emits it beside itself), then runs it as a user's app. */
async function compileAndRun(dir: string, file: string) {
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { module: 'nodenext', target: 'es2022', strict: true, types: ['node'] },
      files: [file],
    }),
  );
  const checked = await run(process.execPath, [TSC, '-p', dir], { timeout: 60_000 }).catch(
    (error: { stdout: string }) => error,
  );
  expect(checked.stdout).toBe('');
  const compiled = file.replace(/\.ts$/, '.js');
  await run(process.execPath, [compiled], { cwd: dir, env: appEnv, timeout: 30_000 });
  return readFileSync(join(dir, compiled), 'utf8');
}

async function storedTrace(name: string) {
  const list = pageSchema(traceSummarySchema).parse((await owner.request('GET', `/api/traces?name=${name}`)).json());
  expect(list.data).toHaveLength(1);
  return traceDetailSchema.parse((await owner.request('GET', `/api/traces/${list.data[0]?.id}`)).json());
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'switchyard-sdk-package-'));
  const esm = join(scratch, 'esm-app');
  mkdirSync(esm);
  // As docs/sdk.md says: pack into the app, install the tarball from there.
  const { stdout } = await npm(['pack', '--json', '--pack-destination', esm], SDK_DIR);
  const [result] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  expect(result?.filename).toBe(TARBALL);
  packed = result?.files ?? [];
  upstream = await startFakeOpenAi();
  context = await createTestApp();
  const serverUrl = await context.app.listen({ port: 0, host: '127.0.0.1' });
  const signedUp = await signUp(context.app);
  owner = signedUp.client;
  await setPlan(context.app, signedUp.orgId, 'enterprise');
  const { secret } = await createKey(owner, { scopes: ['ingest'] });
  appEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SWITCHYARD_URL: serverUrl,
    SWITCHYARD_API_KEY: secret,
    OPENAI_API_KEY: upstream.apiKey,
    OPENAI_BASE_URL: upstream.baseUrl,
  };
}, 120_000);

afterAll(async () => {
  await context?.close();
  await upstream?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the packed @switchyard/sdk', () => {
  it('holds the ESM and CommonJS builds, their types, README and LICENSE, and no source or tests', () => {
    const paths = packed.map((file) => file.path);
    for (const path of ['package.json', 'README.md', 'LICENSE', 'dist/cjs/package.json']) expect(paths).toContain(path);
    for (const flavour of ['esm', 'cjs']) {
      for (const file of ['index.js', 'index.node.js', 'index.d.ts'])
        expect(paths).toContain(`dist/${flavour}/${file}`);
    }
    const notBuilt = paths.filter((path) => !path.startsWith('dist/') || /\.test\.|\.ts$(?<!\.d\.ts)/.test(path));
    expect(notBuilt.sort()).toEqual(['LICENSE', 'README.md', 'package.json']);
  });

  it('installs offline into an ESM app, where the README example type-checks and its trace reaches the server', async () => {
    const app = await scratchApp('esm-app', 'module', `./${TARBALL}`);
    const manifest = JSON.parse(readFileSync(join(app, 'node_modules/@switchyard/sdk/package.json'), 'utf8'));
    // Nothing for npm to fetch, and nothing that points back into the monorepo.
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(JSON.stringify(manifest.exports)).not.toMatch(/"source"/);
    const [example] = codeBlocks(readFileSync(join(SDK_DIR, 'README.md'), 'utf8'), 'ts');
    writeFileSync(join(app, 'example.ts'), example ?? '');
    await compileAndRun(app, 'example.ts');

    const stored = await storedTrace('answer-question');
    expect(stored).toMatchObject({ userId: 'ada', input: 'How long do refunds take?', output: FAKE_REPLY });
    expect(stored.observations).toMatchObject([
      { type: 'retrieval', name: 'search' },
      {
        type: 'generation',
        provider: 'openai',
        model: expect.stringMatching(/^gpt-4o-mini/),
        inputTokens: FAKE_USAGE.prompt_tokens,
        outputTokens: FAKE_USAGE.completion_tokens,
        output: { content: FAKE_REPLY },
      },
    ]);
  });

  it('installs offline into a CommonJS app, which require()s it, type-checked against its CommonJS types', async () => {
    const app = await scratchApp('cjs-app', 'commonjs', join(scratch, 'esm-app', TARBALL));
    writeFileSync(
      join(app, 'app.ts'),
      `import { init, span, trace } from '@switchyard/sdk';
init({ apiKey: process.env.SWITCHYARD_API_KEY, endpoint: process.env.SWITCHYARD_URL });
const answer: number = trace('from-commonjs', () => span('step', (step) => step.id.length), { userId: 'grace' });
console.log(answer);
`,
    );
    const compiled = await compileAndRun(app, 'app.ts');
    expect(compiled).toContain('require("@switchyard/sdk")');
    const stored = await storedTrace('from-commonjs');
    expect(stored).toMatchObject({ userId: 'grace', observations: [{ type: 'span', name: 'step' }] });
  });

  it('is installed, as README.md, docs/sdk.md, its README and the dashboard say, from the tarball npm pack writes', () => {
    const install = `npm install ./${TARBALL}`;
    for (const file of ['README.md', 'docs/sdk.md', 'packages/sdk/README.md', 'packages/web/src/lib/snippets.ts']) {
      const text = readFileSync(join(REPO_ROOT, file), 'utf8');
      expect(text, file).toContain(install);
      expect(text, file).toContain('npm pack --pack-destination');
      // The registry answers 404 for the package until it is published; no page may say otherwise.
      for (const paragraph of text.split(/\n\s*\n/).filter((part) => part.includes('npm install @switchyard/sdk'))) {
        expect(paragraph, file).toMatch(/published/);
      }
    }
  });
});
