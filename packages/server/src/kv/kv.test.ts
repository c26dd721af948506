import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBackends, type TestBackends } from '../../test/backend.js';
import { ManualClock } from '../../test/test-app.js';
import type { Kv } from './kv.js';

let backends: TestBackends;
let kv: Kv;
beforeAll(async () => {
  backends = await createTestBackends({ clock: new ManualClock() });
  kv = backends.kv;
});
afterAll(() => backends?.close());

describe('kv', () => {
  it('counts a window atomically under concurrent increments', async () => {
    const results = await Promise.all(
      Array.from({ length: 200 }, () => kv.incrementWindow('concurrent', { windowMs: 60_000 })),
    );
    const counts = results.map((result) => result.count).sort((a, b) => a - b);
    // Every increment saw a distinct total: none was lost or double-counted.
    expect(counts).toEqual(Array.from({ length: 200 }, (_, index) => index + 1));
    expect(results.every((result) => result.resetMs > 0 && result.resetMs <= 60_000)).toBe(true);
    expect((await kv.peekWindow('concurrent', { windowMs: 60_000 })).count).toBe(200);
  });

  it('adds a cost other than one', async () => {
    await kv.incrementWindow('tokens', { windowMs: 60_000, cost: 1_500 });
    expect((await kv.incrementWindow('tokens', { windowMs: 60_000, cost: 250 })).count).toBe(1_750);
  });

  it('stores, reads and deletes values', async () => {
    await kv.set('greeting', 'hello');
    expect(await kv.get('greeting')).toBe('hello');
    await kv.delete('greeting');
    expect(await kv.get('greeting')).toBeNull();
  });

  it('delivers a publication to a subscriber on another connection, until it unsubscribes', async () => {
    const other = await backends.connectKv();
    const received: string[] = [];
    const unsubscribe = await other.subscribe('news', (message) => received.push(message));
    await kv.publish('news', 'first');
    await expect.poll(() => received).toEqual(['first']);
    await unsubscribe();
    await kv.publish('news', 'second');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual(['first']);
  });

  it('hands out at most `limit` slots under concurrency, and takes them back', async () => {
    const granted = await Promise.all(
      Array.from({ length: 10 }, () => kv.acquireSlot('slots', { limit: 4, ttlMs: 60_000 })),
    );
    expect(granted.filter(Boolean)).toHaveLength(4);
    await kv.releaseSlot('slots');
    expect(await kv.acquireSlot('slots', { limit: 4, ttlMs: 60_000 })).toBe(true);
    expect(await kv.acquireSlot('slots', { limit: 4, ttlMs: 60_000 })).toBe(false);
  });

  it('answers ping when connected', async () => {
    await expect(kv.whenConnected(2_000)).resolves.toBeUndefined();
    await expect(kv.ping()).resolves.toBeUndefined();
  });
});

describe('in-process kv', () => {
  it('expires values and windows by its clock', async () => {
    const { createMemoryKv } = await import('./memory.js');
    const clock = new ManualClock(1_000_000);
    const memory = createMemoryKv({ clock });
    await memory.set('session', 'x', { ttlMs: 1_000 });
    await memory.incrementWindow('window', { windowMs: 1_000 });
    clock.advance(1_000);
    expect(await memory.get('session')).toBeNull();
    expect((await memory.incrementWindow('window', { windowMs: 1_000 })).count).toBe(1);
  });

  it('stays within its size bound, dropping the oldest entries', async () => {
    const { createMemoryKv } = await import('./memory.js');
    const memory = createMemoryKv({ clock: new ManualClock(), maxEntries: 3 });
    for (const key of ['a', 'b', 'c', 'd']) await memory.set(key, key);
    expect(await memory.get('a')).toBeNull();
    expect(await memory.get('d')).toBe('d');
  });
});
