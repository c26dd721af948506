import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../../..');

describe('the server runs with the same Node flags everywhere', () => {
  it('npm start and the Docker image pass the same flags to node', () => {
    const start = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.start as string;
    const startFlags = start.match(/^node (.*?)\s*scripts\/start\.mjs$/)?.[1].split(/\s+/);
    const dockerfile = readFileSync(join(root, 'deploy/Dockerfile'), 'utf8');
    const cmd = JSON.parse(dockerfile.match(/^CMD (\[.*\])$/m)?.[1] ?? '[]') as string[];
    expect(startFlags).toContain('--max-semi-space-size=16');
    expect(cmd.slice(1, cmd.indexOf('packages/server/bin/switchyard.js'))).toEqual(startFlags);
  });
});
