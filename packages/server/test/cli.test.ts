import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKEND, createDatabase, TEST_DATABASE_URL, TEST_REDIS_URL, uniqueName } from './backend.js';

const BIN = join(import.meta.dirname, '..', 'bin', 'switchyard.js');

type Run = { code: number | null; stdout: string; stderr: string };

let env: Record<string, string>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-cli-'));
  env = { DATA_DIR: dataDir, HOST: '127.0.0.1', LOG_LEVEL: 'warn', SHUTDOWN_TIMEOUT_MS: '5000' };
  let dropDatabase = async () => {};
  if (TEST_DATABASE_URL) {
    const database = await createDatabase(TEST_DATABASE_URL);
    env.DATABASE_URL = database.url;
    env.SWITCHYARD_SECRET_KEY = 'cli-test-secret-key-0123456789abcdef012345';
    dropDatabase = database.drop;
  }
  if (TEST_REDIS_URL) {
    env.REDIS_URL = TEST_REDIS_URL;
    env.REDIS_KEY_PREFIX = `${uniqueName('sycli')}:`;
  }
  cleanup = async () => {
    await dropDatabase();
    rmSync(dataDir, { recursive: true, force: true });
  };
});
afterAll(() => cleanup?.());

function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // Only what a user would set: none of the test runner's own variables leak in.
  return { PATH: process.env.PATH, HOME: process.env.HOME, ...env, ...extra };
}

function run(args: string[], extra: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: childEnv(extra), cwd: tmpdir() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

type Server = { child: ChildProcess; url: string; output: () => string; exited: Promise<number | null> };

/** Runs `switchyard start` on a free port and resolves once it printed where it listens. */
function startServer(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'start'], { env: childEnv({ PORT: '0' }), cwd: tmpdir() });
    // Logs (stdout) and the banner (stderr) in one place, for the reader of a failure.
    let output = '';
    const exited = new Promise<number | null>((done) => child.on('close', done));
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 20_000);
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/(?:Dashboard|listening on)\s+(http:\/\/\S+)/);
      const ready = match && (/listening on/.test(output) || /Org\s+\S+/.test(output));
      if (match?.[1] && ready) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output, exited });
      }
    });
    child.on('close', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

// Each command is a new process that opens the embedded database (PGlite, WebAssembly): seconds on
// a quiet machine, many more while the rest of the suite shares two cores. The limits guard
// against a hang, not speed.
describe('switchyard CLI', { timeout: 120_000 }, () => {
  it.each([
    ['start'],
    ['migrate'],
    ['org', 'create'],
    ['user', 'create'],
    ['keys', 'create'],
    ['keys', 'list'],
    ['keys', 'revoke'],
    ['backup'],
    ['restore'],
    ['alerts', 'list'],
    ['operator', 'grant'],
    ['operator', 'revoke'],
    ['operator', 'list'],
  ])('explains "%s %s" with --help', async (...command) => {
    const result = await run([...command.filter(Boolean), '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: switchyard ${command.filter(Boolean).join(' ')}`);
  });

  it('stops on bad configuration with a message naming the variable, and no stack trace', async () => {
    const result = await run(['migrate'], { PORT: 'eighty', SIGNUP: 'sometimes' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT must be a port number (got "eighty")');
    expect(result.stderr).toContain('SIGNUP must be "open" or "invite"');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('creates an org, a user and keys, lists and revokes them', async () => {
    expect((await run(['migrate'])).stdout).toContain('Migrations applied');
    const org = await run(['org', 'create', 'Acme Rockets', '--plan', 'pro']);
    expect(org.code).toBe(0);
    expect(org.stdout).toMatch(/slug acme-rockets, plan pro/);

    const user = await run([
      'user',
      'create',
      '--email',
      'Wile@Example.com',
      '--org',
      'acme-rockets',
      '--role',
      'admin',
    ]);
    expect(user.code).toBe(0);
    expect(user.stdout).toContain('wile@example.com is admin of acme-rockets');
    expect(user.stdout).toMatch(/Password \(shown once\): \S{20}/);

    const created = await run(['keys', 'create', '--org', 'acme-rockets', '--name', 'ci', '--scopes', 'gateway,admin']);
    expect(created.code).toBe(0);
    const secret = created.stdout.match(/^sy-\S+$/m)?.[0];
    expect(secret).toBeDefined();

    const listed = await run(['keys', 'list', '--org', 'acme-rockets', '--json']);
    const keys = listed.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(keys).toEqual([expect.objectContaining({ name: 'ci', scopes: ['gateway', 'admin'], revokedAt: null })]);
    expect(listed.stdout).not.toContain(secret);

    const revoked = await run(['keys', 'revoke', keys[0].id, '--org', 'acme-rockets']);
    expect(revoked.code).toBe(0);
    const after = JSON.parse((await run(['keys', 'list', '--org', 'acme-rockets', '--json'])).stdout);
    expect(after.revokedAt).not.toBeNull();
  });

  it('creates an org on DEFAULT_PLAN unless --plan says otherwise, and refuses an unknown plan', async () => {
    const onDefault = await run(['org', 'create', 'Default Plan Co'], { DEFAULT_PLAN: 'pro' });
    expect(onDefault.stdout).toMatch(/slug default-plan-co, plan pro,/);
    const chosen = await run(['org', 'create', 'Chosen Plan Co', '--plan', 'free'], { DEFAULT_PLAN: 'pro' });
    expect(chosen.stdout).toMatch(/slug chosen-plan-co, plan free,/);
    const unknown = await run(['org', 'create', 'Gold Co'], { DEFAULT_PLAN: 'gold' });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('DEFAULT_PLAN must be one of free, pro, enterprise (got "gold")');
  });

  it('backs up and restores the database with progress, refusing to overwrite data without --force', async () => {
    expect((await run(['org', 'create', 'Backup Co'])).code).toBe(0);
    const folder = join(String(env.DATA_DIR), 'backups');
    const backup = await run(['backup', '--out', `${folder}/`, '--keep-days', '7']);
    expect(backup.stderr).toMatch(/\[\d+\/\d+\] public\.organizations/);
    expect(backup.code).toBe(0);
    const file = backup.stdout.match(/to (\S+switchyard-\S+\.backup) \(/)?.[1];
    expect(file).toBeDefined();
    expect(backup.stdout).toMatch(/Backed up \d+ tables, \d+ rows/);

    const refused = await run(['restore', String(file)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/is not empty \(\d+ rows\).*--force/);

    const restored = await run(['restore', String(file), '--force']);
    expect(restored.stderr).toContain('Checking every table against the backup');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain('every row count and checksum matches the backup');
    const orgs = await run(['keys', 'list', '--org', 'backup-co']);
    expect(orgs.code).toBe(0);
    const alerts = await run(['alerts', 'list', '--org', 'backup-co']);
    expect(alerts.stdout).toContain('No alert rules yet');

    const missing = await run(['restore', join(folder, 'nothing-here.backup')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no such file');
    expect(missing.stderr).not.toMatch(/^\s+at /m);
  });

  it('names the operators, grants and revokes the role, and keeps the last one', async () => {
    // The installation's first user (made by "user create" above) is its operator.
    expect((await run(['operator', 'list'])).stdout).toBe('wile@example.com\n');
    expect((await run(['user', 'create', '--email', 'road@example.com', '--org', 'acme-rockets'])).code).toBe(0);
    const granted = await run(['operator', 'grant', 'Road@Example.com']);
    expect(granted.stdout).toBe('road@example.com is now an operator\n');
    expect((await run(['operator', 'list'])).stdout).toBe('wile@example.com\nroad@example.com\n');
    expect((await run(['operator', 'revoke', 'wile@example.com'])).code).toBe(0);
    const last = await run(['operator', 'revoke', 'road@example.com']);
    expect(last.code).toBe(1);
    expect(last.stderr).toBe('switchyard: road@example.com is the last operator; grant someone else first\n');
    const nobody = await run(['operator', 'grant', 'nobody@example.com']);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('No user with email nobody@example.com');
  });

  it('refuses to read or back up an embedded database that is not there, and creates nothing', async () => {
    const saved = { ...env };
    const nowhere = mkdtempSync(join(tmpdir(), 'switchyard-no-database-'));
    env.DATA_DIR = join(nowhere, 'data');
    delete env.DATABASE_URL;
    try {
      for (const args of [
        ['keys', 'list', '--org', 'default'],
        ['org', 'create', 'Lost'],
        ['backup', '--out', `${nowhere}/`],
      ]) {
        const result = await run(args);
        expect(result.code).toBe(1);
        expect(result.stderr).toContain(`No database at DATA_DIR ${env.DATA_DIR}`);
        expect(result.stderr).not.toContain('    at ');
      }
      expect(existsSync(env.DATA_DIR)).toBe(false);
      // migrate is how an installation's database is made, so it still creates one.
      expect((await run(['migrate'])).code).toBe(0);
      expect((await run(['org', 'create', 'Found'])).code).toBe(0);
    } finally {
      env = saved;
      rmSync(nowhere, { recursive: true, force: true });
    }
  });

  it('says what is wrong with a bad argument', async () => {
    const noOrg = await run(['keys', 'create', '--org', 'no-such-org']);
    expect(noOrg.code).toBe(1);
    expect(noOrg.stderr).toContain('No org with slug "no-such-org"');
    const badScope = await run(['keys', 'create', '--org', 'acme-rockets', '--scopes', 'gateway,root']);
    expect(badScope.code).not.toBe(0);
    expect(badScope.stderr).toContain('"root" is not one of gateway, ingest, admin');
  });
});

describe('switchyard start', { timeout: 180_000 }, () => {
  it('creates the first org, login and key once, keeps them across restarts, and shuts down on SIGTERM', async () => {
    // This file's database already has an org from the tests above; start from an empty one.
    const emptyDataDir = mkdtempSync(join(tmpdir(), 'switchyard-start-'));
    const saved = { ...env };
    env.DATA_DIR = emptyDataDir;
    // As the Docker image runs it: the built output, in production mode.
    env.NODE_ENV = 'production';
    let dropDatabase = async () => {};
    if (TEST_DATABASE_URL) {
      const database = await createDatabase(TEST_DATABASE_URL);
      env.DATABASE_URL = database.url;
      dropDatabase = database.drop;
    }
    try {
      const first = await startServer();
      const printed = first.output();
      const key = printed.match(/API key\s+(sy-\S+)/)?.[1] ?? '';
      const email = printed.match(/Login\s+(\S+)/)?.[1] ?? '';
      const password = printed.match(/Password\s+(\S+)/)?.[1] ?? '';
      expect(key).toMatch(/^sy-/);
      expect((await fetch(`${first.url}/ready`)).status).toBe(200);
      const dashboard = await fetch(`${first.url}/overview`, { headers: { accept: 'text/html' } });
      expect(dashboard.headers.get('content-type')).toContain('text/html');
      expect(await dashboard.text()).toContain('<div id="root">');
      expect((await fetch(`${first.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
      const now = new Date().toISOString();
      const ingested = await fetch(`${first.url}/v1/ingest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          batch: [
            { id: 'e1', type: 'trace-create', timestamp: now, body: { id: 'cli-trace', name: 'nightly-summary' } },
            {
              id: 'e2',
              type: 'observation-create',
              timestamp: now,
              body: {
                id: 'cli-generation',
                traceId: 'cli-trace',
                type: 'generation',
                model: 'openai/gpt-4o-mini',
                startTime: now,
                endTime: now,
                usage: { inputTokens: 1200, outputTokens: 300 },
              },
            },
          ],
        }),
      });
      expect(ingested.status).toBe(207);

      first.child.kill('SIGTERM');
      expect({ code: await first.exited, output: first.output() }).toMatchObject({ code: 0 });

      const second = await startServer();
      expect(second.output()).toContain('listening on');
      expect(second.output()).not.toContain('API key');
      expect((await fetch(`${second.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(
        200,
      );
      const login = await fetch(`${second.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password }),
      });
      expect(login.status).toBe(200);
      if (BACKEND === 'embedded') {
        const locked = await run(['keys', 'list', '--org', 'default']);
        expect(locked.code).toBe(1);
        expect(locked.stderr).toContain('in use by process');
      }

      // A request in flight when SIGTERM arrives still gets its answer.
      const answered = slowLogin(second.url, () => second.child.kill('SIGTERM'));
      expect(await answered).toBe(401);
      expect({ code: await second.exited, output: second.output() }).toMatchObject({ code: 0 });

      // The last-used time of the key was flushed on the way out.
      const listed = await run(['keys', 'list', '--org', 'default', '--json']);
      expect(JSON.parse(listed.stdout.trim().split('\n')[0] ?? '{}').lastUsedAt).not.toBeNull();

      // What was recorded, from the command line.
      const traces = await run(['traces', '--org', 'default']);
      expect(traces.stdout).toMatch(/cli-trace\s+nightly-summary\s+success/);
      expect(traces.stdout).toContain('1.2k/300');
      const usage = await run(['usage', '--org', 'default', '--by', 'model']);
      expect(usage.stdout).toMatch(/openai\/gpt-4o-mini\s+1\s+0\s+1\.2k\s+300/);
      const badUsage = await run(['usage', '--org', 'default', '--days', '0']);
      expect(badUsage.code).not.toBe(0);
      expect(badUsage.stderr).toContain('--days');
    } finally {
      Object.assign(env, saved);
      delete env.NODE_ENV;
      if (!TEST_DATABASE_URL) delete env.DATABASE_URL;
      await dropDatabase();
      rmSync(emptyDataDir, { recursive: true, force: true });
    }
  });
});

/** POSTs a login whose body arrives in two parts, calling `between` after the first; resolves to the status. */
function slowLogin(url: string, between: () => void): Promise<number> {
  const body = JSON.stringify({ email: 'nobody@example.com', password: 'not the password' });
  return new Promise((resolve, reject) => {
    const outgoing = request(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    });
    outgoing.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('error', reject);
    outgoing.write(body.slice(0, 10));
    setTimeout(() => {
      between();
      setTimeout(() => outgoing.end(body.slice(10)), 300);
    }, 100);
  });
}
