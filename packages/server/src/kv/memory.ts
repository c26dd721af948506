import { EventEmitter } from 'node:events';
import type { Clock } from '../clock.js';
import type { Kv, WindowCount } from './kv.js';
import { createMemoryRates, type MemoryCells } from './memory-rates.js';
import { createMemorySpendHolds } from './memory-spend-holds.js';

type Entry = { value: string; expiresAt: number | null };

/** The single-node kv: a Map with expiry and an in-process event bus. */
export function createMemoryKv(options: { clock: Clock; maxEntries?: number }): Kv {
  const { clock } = options;
  const maxEntries = options.maxEntries ?? 100_000;
  const entries = new Map<string, Entry>();
  const bus = new EventEmitter();
  bus.setMaxListeners(0);

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt !== null && entry.expiresAt <= clock.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const store = (key: string, entry: Entry) => {
    entries.delete(key);
    entries.set(key, entry);
    // Map iteration is insertion order, so the first key is the least recently written.
    while (entries.size > maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  };

  const windowKey = (key: string, windowMs: number) => {
    const windowStart = Math.floor(clock.now() / windowMs) * windowMs;
    return { name: `${key}:${windowStart}`, endsAt: windowStart + windowMs };
  };

  const cells: MemoryCells = {
    read: (key) => live(key)?.value,
    write: (key, value, ttlMs) => store(key, { value, expiresAt: clock.now() + ttlMs }),
  };

  return {
    kind: 'memory',
    ...createMemoryRates(cells),
    ...createMemorySpendHolds(cells),
    async incrementWindow(key, { windowMs, cost = 1 }): Promise<WindowCount> {
      const window = windowKey(key, windowMs);
      const count = Number(live(window.name)?.value ?? 0) + cost;
      store(window.name, { value: String(count), expiresAt: window.endsAt });
      return { count, resetMs: window.endsAt - clock.now() };
    },
    async acquireSlot(key, { limit, ttlMs }) {
      const taken = Number(live(key)?.value ?? 0);
      if (taken >= limit) return false;
      store(key, { value: String(taken + 1), expiresAt: clock.now() + ttlMs });
      return true;
    },
    async releaseSlot(key) {
      const entry = live(key);
      if (entry) entry.value = String(Math.max(0, Number(entry.value) - 1));
    },
    async getTotal(key) {
      const entry = live(key);
      return entry ? Number(entry.value) : undefined;
    },
    async peekWindow(key, { windowMs }): Promise<WindowCount> {
      const window = windowKey(key, windowMs);
      return { count: Number(live(window.name)?.value ?? 0), resetMs: window.endsAt - clock.now() };
    },
    async get(key) {
      return live(key)?.value ?? null;
    },
    async set(key, value, setOptions) {
      store(key, { value, expiresAt: setOptions?.ttlMs ? clock.now() + setOptions.ttlMs : null });
    },
    async delete(key) {
      entries.delete(key);
    },
    async publish(channel, message) {
      // Asynchronous like a real broker, so no publisher depends on subscribers running inline.
      setImmediate(() => bus.emit(channel, message));
    },
    async subscribe(channel, onMessage) {
      bus.on(channel, onMessage);
      return async () => {
        bus.off(channel, onMessage);
      };
    },
    onReconnect() {},
    async whenConnected() {},
    async ping() {},
    async close() {
      bus.removeAllListeners();
      entries.clear();
    },
  };
}
