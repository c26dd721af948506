import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../../..');
const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start as string;
const startFlags = start.match(/^node (.*?)\s*scripts\/start\.mjs$/)?.[1]?.split(/\s+/) ?? [];

describe('the Node flags the server runs with', () => {
  it('are the same in npm start and in the Docker image', () => {
    const dockerfile = readFileSync(join(root, 'deploy/Dockerfile'), 'utf8');
    const cmd = JSON.parse(dockerfile.match(/^CMD (\[.*\])$/m)?.[1] ?? '[]') as string[];
    expect(startFlags).toEqual(['--max-semi-space-size=16', '--heap-growing-percent=80']);
    expect(cmd.slice(1, cmd.indexOf('packages/server/bin/switchyard.js'))).toEqual(startFlags);
  });

  it('are flags this Node takes (a V8 flag it no longer knows would stop the server starting)', () => {
    const result = spawnSync(process.execPath, [...startFlags, '-e', '0'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
