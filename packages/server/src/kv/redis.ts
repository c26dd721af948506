import { Redis } from 'ioredis';
import type { Kv, WindowCount } from './kv.js';
import { createRedisRates } from './redis-rates.js';
import { createRedisSpendHolds } from './redis-spend-holds.js';

// INCRBY and the first PEXPIRE in one step, so a window can never be left without an expiry.
const INCREMENT_WINDOW = `
local count = redis.call('INCRBY', KEYS[1], ARGV[1])
if count == tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return {count, redis.call('PTTL', KEYS[1])}
`;

const ACQUIRE_SLOT = `
local taken = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if taken > tonumber(ARGV[1]) then
  redis.call('DECR', KEYS[1])
  return 0
end
return 1
`;

// DECR, but never below zero (a slot whose key expired must not go negative).
const RELEASE_SLOT = `
local taken = tonumber(redis.call('GET', KEYS[1]) or '0')
if taken > 0 then redis.call('DECR', KEYS[1]) end
return 0
`;

export type RedisKvOptions = {
  url: string;
  /** Put in front of every key and channel, so several installations (or test files) share one Redis. */
  prefix: string;
  onError?: (error: Error) => void;
};

/**
 * The multi-replica kv. Commands fail fast while Redis is unreachable (no offline queue), so callers
 * decide between failing open and closed instead of hanging.
 */
export function createRedisKv(options: RedisKvOptions): Kv {
  const connectionOptions = {
    lazyConnect: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2_000,
    retryStrategy: (attempt: number) => Math.min(attempt * 200, 2_000),
  };
  const commands = new Redis(options.url, connectionOptions);
  // The subscriber queues and retries without limit: a subscription made while Redis is down takes
  // effect when it comes back (and ioredis re-subscribes after every reconnect).
  const subscriber = new Redis(options.url, {
    ...connectionOptions,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
  });
  const report = (error: Error) => options.onError?.(error);
  commands.on('error', report);
  subscriber.on('error', report);

  const handlers = new Map<string, Set<(message: string) => void>>();
  subscriber.on('message', (channel: string, message: string) => {
    for (const handler of handlers.get(channel) ?? []) handler(message);
  });

  const reconnectListeners: Array<() => void> = [];
  let subscriberWasReady = false;
  subscriber.on('ready', () => {
    if (subscriberWasReady) for (const listener of reconnectListeners) listener();
    subscriberWasReady = true;
  });

  const key = (name: string) => options.prefix + name;
  const windowName = (name: string, windowMs: number) =>
    `${key(name)}:w${windowMs}:${Math.floor(Date.now() / windowMs)}`;

  return {
    kind: 'redis',
    ...createRedisRates({ commands, key }),
    ...createRedisSpendHolds({ commands, key }),
    async incrementWindow(name, { windowMs, cost = 1 }): Promise<WindowCount> {
      const [count, ttl] = (await commands.eval(INCREMENT_WINDOW, 1, windowName(name, windowMs), cost, windowMs)) as [
        number,
        number,
      ];
      return { count, resetMs: Math.max(ttl, 0) };
    },
    async acquireSlot(name, { limit, ttlMs }) {
      return (await commands.eval(ACQUIRE_SLOT, 1, key(name), limit, ttlMs)) === 1;
    },
    async releaseSlot(name) {
      await commands.eval(RELEASE_SLOT, 1, key(name));
    },
    async getTotal(name) {
      const value = await commands.get(key(name));
      return value === null ? undefined : Number(value);
    },
    async peekWindow(name, { windowMs }): Promise<WindowCount> {
      const redisKey = windowName(name, windowMs);
      const [value, ttl] = await Promise.all([commands.get(redisKey), commands.pttl(redisKey)]);
      return { count: Number(value ?? 0), resetMs: Math.max(ttl, 0) };
    },
    async get(name) {
      return commands.get(key(name));
    },
    async set(name, value, setOptions) {
      if (setOptions?.ttlMs) await commands.set(key(name), value, 'PX', setOptions.ttlMs);
      else await commands.set(key(name), value);
    },
    async delete(name) {
      await commands.del(key(name));
    },
    async publish(channel, message) {
      await commands.publish(key(channel), message);
    },
    async subscribe(channel, onMessage) {
      const name = key(channel);
      let channelHandlers = handlers.get(name);
      if (!channelHandlers) {
        channelHandlers = new Set();
        handlers.set(name, channelHandlers);
        const subscribed = subscriber.subscribe(name);
        // Wait for the confirmation only when connected; otherwise start-up would hang until Redis returns.
        if (subscriber.status === 'ready') await subscribed;
        else subscribed.catch(report);
      }
      channelHandlers.add(onMessage);
      return async () => {
        channelHandlers.delete(onMessage);
        if (channelHandlers.size === 0) {
          handlers.delete(name);
          const unsubscribed = subscriber.unsubscribe(name).catch(report);
          if (subscriber.status === 'ready') await unsubscribed;
        }
      };
    },
    onReconnect(listener) {
      reconnectListeners.push(listener);
    },
    whenConnected(timeoutMs) {
      // Both connections: a subscription made at start-up (the live feed) is then confirmed before
      // the first request, instead of racing the subscriber's connect.
      return Promise.all([untilReady(commands, timeoutMs), untilReady(subscriber, timeoutMs)]).then(() => undefined);
    },
    async ping() {
      await commands.ping();
    },
    async close() {
      commands.disconnect();
      subscriber.disconnect();
    },
  };
}

function untilReady(connection: Redis, timeoutMs: number): Promise<void> {
  if (connection.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      connection.off('ready', onReady);
      reject(new Error(`Redis did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    connection.once('ready', onReady);
  });
}
