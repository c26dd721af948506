import { EventEmitter } from 'node:events';
import type { Clock } from '../clock.js';
import type { Kv, WindowCount } from './kv.js';

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

  return {
    kind: 'memory',
    async incrementWindow(key, { windowMs, cost = 1 }): Promise<WindowCount> {
      const window = windowKey(key, windowMs);
      const count = Number(live(window.name)?.value ?? 0) + cost;
      store(window.name, { value: String(count), expiresAt: window.endsAt });
      return { count, resetMs: window.endsAt - clock.now() };
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
