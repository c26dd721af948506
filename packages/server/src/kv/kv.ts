/** Shared hot state: in-process for one node, Redis for many. Every replica must see the same answers. */
export type Kv = {
  kind: 'memory' | 'redis';
  /**
   * Adds `cost` to the counter of the current fixed window of `key` (atomically) and returns the new
   * total and the milliseconds until that window ends.
   */
  incrementWindow(key: string, options: { windowMs: number; cost?: number }): Promise<WindowCount>;
  /**
   * Counts one request in each window, but only if every window is under its limit: all or
   * nothing, so a refusal by one limit does not use up another. Returns the new counts (or, when
   * refused, which check refused and when its window resets).
   */
  admitToWindows(
    checks: ReadonlyArray<{ key: string; limit: number }>,
    options: { windowMs: number },
  ): Promise<WindowAdmission>;
  /** Takes one of `limit` slots (for requests in flight); false when all are taken. Slots expire after `ttlMs`. */
  acquireSlot(key: string, options: { limit: number; ttlMs: number }): Promise<boolean>;
  releaseSlot(key: string): Promise<void>;
  /** Adds `amount` to a decimal counter (created at `initial` if absent) and returns the new total. */
  addToTotal(key: string, amount: number, options: { ttlMs: number; initial: () => Promise<number> }): Promise<number>;
  /** A decimal counter's total, or undefined if it does not exist. */
  getTotal(key: string): Promise<number | undefined>;
  /** The current window's total without adding to it. */
  peekWindow(key: string, options: { windowMs: number }): Promise<WindowCount>;
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options?: { ttlMs?: number }): Promise<void>;
  delete(key: string): Promise<void>;
  publish(channel: string, message: string): Promise<void>;
  /** Resolves once the subscription is live; returns the function that ends it. */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<() => Promise<void>>;
  /** Called after the connection to a shared kv came back: messages may have been missed meanwhile. */
  onReconnect(listener: () => void): void;
  /** Resolves once commands can be sent; rejects after `timeoutMs` while the store is unreachable. */
  whenConnected(timeoutMs: number): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
};

export type WindowCount = { count: number; resetMs: number };
export type WindowAdmission =
  | { admitted: true; counts: number[]; resetMs: number }
  | { admitted: false; refusedBy: number; count: number; resetMs: number };
