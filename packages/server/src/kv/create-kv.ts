import type { Clock } from '../clock.js';
import type { Kv } from './kv.js';
import { createMemoryKv } from './memory.js';
import { createRedisKv } from './redis.js';

export function createKv(options: {
  redisUrl?: string;
  prefix: string;
  clock: Clock;
  onError?: (error: Error) => void;
}): Kv {
  return options.redisUrl
    ? createRedisKv({ url: options.redisUrl, prefix: options.prefix, onError: options.onError })
    : createMemoryKv({ clock: options.clock });
}
