import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackends, type TestBackends } from '../../test/backend.js';
import { ManualClock } from '../../test/test-app.js';
import { OrgCache } from './org-cache.js';

let backends: TestBackends;
const clock = new ManualClock();
beforeAll(async () => {
  backends = await createTestBackends({ clock });
});
afterAll(() => backends?.close());

/** A load the test finishes when it wants, counting how often the cache asked for it. */
function controlledLoad() {
  const pending: Array<(value: string) => void> = [];
  const load = {
    calls: 0,
    run: (orgId: string) => {
      load.calls += 1;
      return new Promise<string>((resolve) => pending.push((value) => resolve(`${orgId}:${value}`)));
    },
    finish: (value: string) => pending.shift()?.(value),
  };
  return load;
}

describe('OrgCache', () => {
  it('answers a burst of requests for an uncached org with one load', async () => {
    const load = controlledLoad();
    const cache = new OrgCache({ kv: backends.kv, clock, channel: 'org-cache-burst', load: load.run });
    await cache.start();
    const burst = Promise.all(Array.from({ length: 50 }, () => cache.get('org-a')));
    load.finish('v1');
    expect(new Set(await burst)).toEqual(new Set(['org-a:v1']));
    expect(load.calls).toBe(1);
    expect(await cache.get('org-a')).toBe('org-a:v1');
    expect(load.calls).toBe(1);
    await cache.stop();
  });

  it('does not keep a value loaded before a change was announced', async () => {
    const load = controlledLoad();
    const cache = new OrgCache({ kv: backends.kv, clock, channel: 'org-cache-change', load: load.run });
    await cache.start();
    const before = cache.get('org-b');
    await cache.invalidate('org-b');
    load.finish('old');
    expect(await before).toBe('org-b:old');
    const after = cache.get('org-b');
    load.finish('new');
    expect(await after).toBe('org-b:new');
    expect(load.calls).toBe(2);
    await cache.stop();
  });

  it('loads again after a failed load', async () => {
    let calls = 0;
    const cache = new OrgCache({
      kv: backends.kv,
      clock,
      channel: 'org-cache-failure',
      load: async () => {
        calls += 1;
        if (calls === 1) throw new Error('database away');
        return 'loaded';
      },
    });
    await cache.start();
    await expect(cache.get('org-c')).rejects.toThrow('database away');
    expect(await cache.get('org-c')).toBe('loaded');
    await cache.stop();
  });
});
