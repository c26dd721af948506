import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';

/**
 * Remembers when each key was last used and writes them all in one statement per flush, so the hot
 * path never writes to the database.
 */
export class LastUsedTracker {
  readonly #db: Database;
  #pending = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;

  constructor(options: { db: Database; flushIntervalMs?: number }) {
    this.#db = options.db;
    const interval = options.flushIntervalMs ?? 15_000;
    this.#timer = setInterval(() => void this.flush().catch(() => {}), interval);
    this.#timer.unref();
  }

  touch(keyId: string, at: number): void {
    const previous = this.#pending.get(keyId);
    if (previous === undefined || previous < at) this.#pending.set(keyId, at);
  }

  async flush(): Promise<void> {
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    const values = sql.join(
      [...batch].map(([id, at]) => sql`(${id}::uuid, ${new Date(at).toISOString()}::timestamptz)`),
      sql`, `,
    );
    try {
      await this.#db.execute(sql`
        update api_keys set last_used_at = used.at
        from (values ${values}) as used(id, at)
        where api_keys.id = used.id and (api_keys.last_used_at is null or api_keys.last_used_at < used.at)`);
    } catch (error) {
      // Keep the times for the next flush rather than lose them.
      for (const [id, at] of batch) this.touch(id, at);
      throw error;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush();
  }
}
