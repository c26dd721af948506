import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config.js';
import { serverPackageRoot } from './package-root.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives the documented defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.dataDir).toBe('./data');
    expect(config.signup).toBe('invite');
    expect(config.defaultPlan).toBe('free');
    expect(config.sharedProviders).toBe('first');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.redisUrl).toBeUndefined();
  });

  it('names each bad variable and what it expects', () => {
    const problems = problemsOf({ PORT: 'eighty', SIGNUP: 'maybe', REDIS_URL: 'localhost:6379', LOG_LEVEL: 'loud' });
    expect(problems.find((line) => line.startsWith('PORT '))).toMatch(/port number.*"eighty"/);
    expect(problems.find((line) => line.startsWith('SIGNUP '))).toMatch(/"open" or "invite"/);
    expect(problems.find((line) => line.startsWith('REDIS_URL '))).toMatch(/redis:\/\//);
    expect(problems.find((line) => line.startsWith('LOG_LEVEL '))).toMatch(/one of fatal, error/);
    expect(problemsOf({ DEFAULT_PLAN: 'gold', SHARED_PROVIDERS: 'some' })).toEqual([
      'DEFAULT_PLAN must be one of free, pro, enterprise (got "gold")',
      'SHARED_PROVIDERS must be "first" or "all" (got "some")',
    ]);
  });

  it('requires SWITCHYARD_SECRET_KEY with DATABASE_URL, and never echoes URLs that may hold passwords', () => {
    const problems = problemsOf({ DATABASE_URL: 'mysql://user:hunter2@db/app' });
    expect(problems.join('\n')).toMatch(/DATABASE_URL must be a URL starting with postgres:\/\//);
    expect(problems.join('\n')).not.toContain('hunter2');
    expect(problemsOf({ DATABASE_URL: 'postgres://db/app' })).toEqual([
      expect.stringMatching(/^SWITCHYARD_SECRET_KEY is required/),
    ]);
  });

  it('schedules backups only of the embedded database', () => {
    expect(loadConfig({ BACKUP_DIR: '/backups' }).backup).toEqual({ dir: '/backups', intervalHours: 24, keepDays: 14 });
    const secretKey = 'k'.repeat(32);
    expect(
      problemsOf({ DATABASE_URL: 'postgres://db/app', SWITCHYARD_SECRET_KEY: secretKey, BACKUP_DIR: '/backups' }),
    ).toEqual([
      expect.stringMatching(/^BACKUP_DIR schedules backups of the embedded database; with DATABASE_URL.*cron/),
    ]);
    expect(problemsOf({ BACKUP_INTERVAL_HOURS: '0' })).toEqual([expect.stringMatching(/^BACKUP_INTERVAL_HOURS /)]);
  });

  it('takes a METRICS_TOKEN too long to guess, and never echoes a short one', () => {
    expect(loadConfig({}).metricsToken).toBeUndefined();
    expect(loadConfig({ METRICS_TOKEN: 'a'.repeat(32) }).metricsToken).toBe('a'.repeat(32));
    const problems = problemsOf({ METRICS_TOKEN: 'hunter2' });
    expect(problems).toEqual([expect.stringMatching(/^METRICS_TOKEN must be at least 16 characters/)]);
    expect(problems.join('\n')).not.toContain('hunter2');
  });

  it('splits CORS_ORIGINS into a list', () => {
    expect(loadConfig({ CORS_ORIGINS: 'https://a.example, https://b.example' }).corsOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });
});

describe('.env.example', () => {
  it('documents every variable the server reads, and none it does not', () => {
    const example = readFileSync(join(serverPackageRoot(), '..', '..', '.env.example'), 'utf8');
    const documented = new Set([...example.matchAll(/^#? ?([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
    // NODE_ENV is the platform's, not ours to document; POSTGRES_PASSWORD is the Compose file's.
    const expected = CONFIG_VARIABLES.filter((name) => name !== 'NODE_ENV');
    expect([...documented].filter((name) => !expected.includes(name as string))).toEqual(['POSTGRES_PASSWORD']);
    expect(expected.filter((name) => !documented.has(name))).toEqual([]);
  });
});
