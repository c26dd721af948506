import type { Clock } from '../clock.js';
import type { Kv } from './kv.js';

// Changes reach other replicas through the kv at once; the TTL only bounds a missed message.
const DEFAULT_TTL_MS = 60_000;

/**
 * Per-org values read on the hot path (routes, prices, providers): loaded from the database once,
 * kept on each replica, and dropped on every replica when one of them changes the org's rows.
 */
export class OrgCache<TValue> {
  readonly #kv: Kv;
  readonly #clock: Clock;
  readonly #channel: string;
  readonly #ttlMs: number;
  readonly #load: (orgId: string) => Promise<TValue>;
  readonly #entries = new Map<string, { value: TValue; expiresAt: number }>();
  /** Loads under way: a burst of requests for an org not cached yet waits for one load, not one each. */
  readonly #loading = new Map<string, Promise<TValue>>();
  #unsubscribe: (() => Promise<void>) | undefined;

  constructor(options: {
    kv: Kv;
    clock: Clock;
    /** The kv channel replicas announce changes on; one per kind of value. */
    channel: string;
    load: (orgId: string) => Promise<TValue>;
    ttlMs?: number;
  }) {
    this.#kv = options.kv;
    this.#clock = options.clock;
    this.#channel = options.channel;
    this.#load = options.load;
    this.#ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  }

  async start(): Promise<void> {
    this.#unsubscribe = await this.#kv.subscribe(this.#channel, (orgId) => this.#forget(orgId));
    // Messages sent while the kv was away are lost: forget everything rather than serve a stale value.
    this.#kv.onReconnect(() => {
      this.#entries.clear();
      this.#loading.clear();
    });
  }

  async stop(): Promise<void> {
    await this.#unsubscribe?.();
  }

  async get(orgId: string): Promise<TValue> {
    const cached = this.#entries.get(orgId);
    if (cached && cached.expiresAt > this.#clock.now()) return cached.value;
    const loading = this.#loading.get(orgId);
    if (loading) return loading;
    const load = this.#load(orgId).then(
      (value) => {
        // A change announced while loading dropped this load: its value may predate the change.
        if (this.#loading.get(orgId) === load) {
          this.#loading.delete(orgId);
          this.#entries.set(orgId, { value, expiresAt: this.#clock.now() + this.#ttlMs });
        }
        return value;
      },
      (error: unknown) => {
        if (this.#loading.get(orgId) === load) this.#loading.delete(orgId);
        throw error;
      },
    );
    this.#loading.set(orgId, load);
    return load;
  }

  /** Call after changing the org's rows: this replica reloads at once, the others on the message. */
  async invalidate(orgId: string): Promise<void> {
    this.#forget(orgId);
    await this.#kv.publish(this.#channel, orgId);
  }

  #forget(orgId: string): void {
    this.#entries.delete(orgId);
    this.#loading.delete(orgId);
  }
}
