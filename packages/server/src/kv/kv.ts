import type { RateAdmission, RateCheck, RateLimit, RateState } from './gcra.js';
import type { ReserveSpendOptions, SettleSpendOptions, SpendReservation } from './spend-holds.js';

/** Shared hot state: in-process for one node, Redis for many. Every replica must see the same answers. */
export type Kv = {
  kind: 'memory' | 'redis';
  /**
   * Adds `cost` to the counter of the current fixed window of `key` (atomically) and returns the new
   * total and the milliseconds until that window ends.
   */
  incrementWindow(key: string, options: { windowMs: number; cost?: number }): Promise<WindowCount>;
  /**
   * GCRA limits (see gcra.ts): checks every limit at `now` and charges the checks' costs only if
   * all admit, so a refusal by one limit does not use up another.
   */
  admitToRates(options: { now: number; checks: readonly RateCheck[] }): Promise<RateAdmission>;
  /** Counts `amount` more units in each limit without a check (tokens, known when a call ends). */
  chargeRates(options: { now: number; limits: readonly RateLimit[]; amount: number }): Promise<void>;
  /** Each limit's state at `now`, without counting anything. */
  peekRates(options: { now: number; limits: readonly RateLimit[] }): Promise<RateState[]>;
  /** Holds `amountUsd` against every budget, or against none when one has no room (see spend-holds.ts). */
  reserveSpend(options: ReserveSpendOptions): Promise<SpendReservation>;
  /** Replaces a hold with the call's real cost in every budget's counter. */
  settleSpend(options: SettleSpendOptions): Promise<void>;
  /** Takes one of `limit` slots (for requests in flight); false when all are taken. Slots expire after `ttlMs`. */
  acquireSlot(key: string, options: { limit: number; ttlMs: number }): Promise<boolean>;
  releaseSlot(key: string): Promise<void>;
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
