import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentedShellBlocks, type ShellBlock, shellBlocksOf } from './docs/shell-blocks.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

// Every shell block of README.md and docs/*.md, run as pasted against a fresh `npm start` on the
// embedded database, or marked in the page as not runnable here with the reason. Runs in the
// embedded project only (vitest.config.ts): the documented default is what it checks.

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const BLOCKS = documentedShellBlocks(REPO_ROOT);
const RUN_TIMEOUT_MS = 60_000;

type Printed = { url: string; port: string; password: string; apiKey: string };

/**
 * A folder that looks like a fresh clone to npm (its package.json, scripts and packages are the
 * repo's), so `npm start` makes its `./data` here and a block's files (cookies.txt, backups/) stay here.
 */
function makeCheckout(): string {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-docs-'));
  // Copies, so a block that changes the project's manifest cannot change the repo's.
  for (const name of ['package.json', 'package-lock.json']) copyFileSync(join(REPO_ROOT, name), join(dir, name));
  for (const name of ['node_modules', 'scripts', 'packages']) symlinkSync(join(REPO_ROOT, name), join(dir, name));
  return dir;
}

/** What a user's shell has: no variable of the test runner's own. */
function userEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...extra };
}

function startServer(cwd: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; printed: Printed }> {
  return new Promise((resolve, reject) => {
    // Its own process group, so stopping it stops npm and the server under it.
    const child = spawn('npm', ['start'], { cwd, env, detached: true });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`npm start printed no login:\n${output}`)), 45_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const field = (label: string) => output.match(new RegExp(`${label}\\s+(\\S+)`))?.[1];
      const url = field('Dashboard');
      const password = field('Password');
      const apiKey = field('API key');
      if (url && password && apiKey && /Org\s+\S+/.test(output)) {
        clearTimeout(timer);
        resolve({ child, printed: { url, port: new URL(url).port, password, apiKey } });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('close', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.on('close', () => resolve());
    if (child.pid) process.kill(-child.pid, 'SIGTERM');
  });
}

/** The block as a user would paste it, with what the server printed in place of its placeholders. */
function asPasted(code: string, printed: Printed): string {
  return code
    .replaceAll('localhost:8080', `localhost:${printed.port}`)
    .replaceAll('<the printed key>', printed.apiKey)
    .replaceAll('<the printed password>', printed.password)
    .replace(/\bsy-(…|\.\.\.)/g, printed.apiKey);
}

// curl answers an HTTP error with exit 0; a reader would see the error, so the test must too.
const PRELUDE = 'set -eo pipefail\ncurl() { command curl --fail-with-body --silent --show-error "$@"; }\n';

function runBlock(code: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', PRELUDE + code], { cwd, env });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (exit) => {
      clearTimeout(timer);
      resolve({ code: exit, output });
    });
  });
}

describe('the shell blocks of README.md and docs/', () => {
  it('are each run here, or say in the page why not', () => {
    expect(BLOCKS.length).toBeGreaterThan(20);
    for (const block of BLOCKS) {
      if (block.run.when === 'never') expect(block.run.reason.length, block.where).toBeGreaterThan(10);
    }
  });

  it('reads a block, its directive and its place in the page', () => {
    const page = [
      'Intro',
      '```bash',
      'curl localhost:8080/health',
      '```',
      '<!-- docs-test: not run, needs a Docker engine -->',
      '',
      '```sh',
      'docker build .',
      '```',
      '```json',
      '{"not": "shell"}',
      '```',
      '<!-- docs-test: server stopped -->',
      '````console',
      'npm run switchyard -- backup',
      '```',
      '````',
    ].join('\n');
    expect(shellBlocksOf(page, 'page.md')).toEqual<ShellBlock[]>([
      { where: 'page.md:2', code: 'curl localhost:8080/health', run: { when: 'server running' } },
      { where: 'page.md:7', code: 'docker build .', run: { when: 'never', reason: 'needs a Docker engine' } },
      { where: 'page.md:14', code: 'npm run switchyard -- backup\n```', run: { when: 'server stopped' } },
    ]);
    expect(() => shellBlocksOf('<!-- docs-test: later -->\n```bash\nls\n```', 'x.md')).toThrow(/x\.md:2.*later/);
  });
});

describe('run as pasted against a fresh npm start', () => {
  const checkout = makeCheckout();
  let server: ChildProcess | undefined;
  let printed: Printed;
  let webhooks: WebhookReceiver;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // Alert blocks send a test notification: to a receiver here rather than to Slack.
    webhooks = await startWebhookReceiver();
    const started = await startServer(
      checkout,
      userEnv({ PORT: '0', LOG_LEVEL: 'warn', ALERT_WEBHOOK_URL: `${webhooks.origin}/alerts` }),
    );
    server = started.child;
    printed = started.printed;
    env = userEnv({ SWITCHYARD_API_KEY: printed.apiKey, SWITCHYARD_URL: `http://localhost:${printed.port}` });
  }, 90_000);

  afterAll(async () => {
    if (server) await stopServer(server);
    await webhooks?.close();
    rmSync(checkout, { recursive: true, force: true });
  });

  const check = async (block: ShellBlock) => {
    const result = await runBlock(asPasted(block.code, printed), checkout, env);
    expect(result.code, `${block.where} exited ${result.code}:\n${result.output}`).toBe(0);
  };

  for (const block of BLOCKS.filter((each) => each.run.when === 'server running')) {
    it(`${block.where} with the server running`, () => check(block), RUN_TIMEOUT_MS);
  }

  it('stops the server, so the embedded database is free for the CLI', async () => {
    if (server) await stopServer(server);
    server = undefined;
  }, 30_000);

  for (const block of BLOCKS.filter((each) => each.run.when === 'server stopped')) {
    it(`${block.where} with the server stopped`, () => check(block), RUN_TIMEOUT_MS);
  }
});
