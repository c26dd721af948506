import { expect } from 'vitest';
import { UPSTREAM_REPLY } from './scripted-upstream.js';

/** One try as the record keeps it (`metadata.attempts`). */
export type RecordedAttempt = { model: string; outcome: 'success' | 'error'; status?: number };
/** The gateway's record of one call. */
export type Recorded = { attempts: number; status: string; statusCode: number | null; routing: RecordedAttempt[] };
/** What the openai client got. */
export type ClientResult = { status: number; attemptsHeader: string | null; content: string; error?: unknown };

const QUICK_RETRY = { attempts: 2, initialBackoffMs: 10, maxBackoffMs: 100 };

/** An OpenAI-shaped error body, with a message and no stack trace. */
export function expectCleanError(body: unknown): void {
  expect(body).toMatchObject({ message: expect.any(String), type: expect.any(String) });
  expect(JSON.stringify(body)).not.toMatch(/\bat .+:\d+:\d+/);
}

/** A route (or a direct model) in front of scripted failures, and what a call through it must get. */
export type Scenario = {
  name: string;
  route?: Record<string, unknown>;
  model: string;
  /** Checks one call and its record; returns whether it went as configured. */
  check(result: ClientResult, recorded: Recorded): void;
};

export const UPSTREAM_SCENARIOS: Scenario[] = [
  {
    name: 'upstream 500: retried, then fallback',
    route: {
      alias: 'r-500',
      targets: [{ model: 'openai/seq-500-tA' }, { model: 'groq/seq-ok-tA' }],
      retry: QUICK_RETRY,
    },
    model: 'r-500',
    check(result, recorded) {
      expect(result).toMatchObject({ status: 200, attemptsHeader: '4', content: UPSTREAM_REPLY });
      expect(recorded.attempts).toBe(4);
      expect(recorded.routing.map((attempt) => attempt.status ?? attempt.outcome)).toEqual([500, 500, 500, 'success']);
    },
  },
  {
    name: 'upstream 429 + retry-after 1: waited, retried',
    route: {
      alias: 'r-429',
      targets: [{ model: 'openai/seq-429r1-ok-tB' }],
      retry: { attempts: 1, initialBackoffMs: 10, maxBackoffMs: 2_000 },
    },
    model: 'r-429',
    check(result, recorded) {
      expect(result).toMatchObject({ status: 200, attemptsHeader: '2' });
      expect(recorded.routing.map((attempt) => attempt.status ?? attempt.outcome)).toEqual([429, 'success']);
    },
  },
  {
    name: 'upstream 429 + retry-after 7 > maxBackoff: fallback',
    route: {
      alias: 'r-429-long',
      targets: [{ model: 'openai/seq-429r7-tC' }, { model: 'groq/seq-ok-tC' }],
      retry: { attempts: 2, initialBackoffMs: 10, maxBackoffMs: 1_000 },
    },
    model: 'r-429-long',
    check(result, recorded) {
      expect(result).toMatchObject({ status: 200, attemptsHeader: '2' });
      expect(recorded.routing.map((attempt) => attempt.status ?? attempt.outcome)).toEqual([429, 'success']);
    },
  },
  {
    name: 'upstream hangs: timeout, fallback',
    route: {
      alias: 'r-timeout',
      targets: [{ model: 'openai/seq-hang-tD', timeoutMs: 300 }, { model: 'groq/seq-ok-tD' }],
    },
    model: 'r-timeout',
    check(result, recorded) {
      expect(result).toMatchObject({ status: 200, attemptsHeader: '2' });
      expect(recorded.routing.map((attempt) => attempt.status ?? attempt.outcome)).toEqual([408, 'success']);
    },
  },
  {
    name: 'connection refused: fallback',
    route: {
      alias: 'r-refused',
      targets: [{ model: 'refused/seq-ok-tE' }, { model: 'groq/seq-ok-tE' }],
      retry: QUICK_RETRY,
    },
    model: 'r-refused',
    check(result, recorded) {
      expect(result).toMatchObject({ status: 200, attemptsHeader: '4' });
      expect(recorded.routing.map((attempt) => attempt.outcome)).toEqual(['error', 'error', 'error', 'success']);
    },
  },
  {
    name: 'every target fails: clean 502',
    route: {
      alias: 'r-all-fail',
      targets: [{ model: 'openai/seq-503-tH' }, { model: 'refused/seq-ok-tH' }],
      retry: { attempts: 1, initialBackoffMs: 10, maxBackoffMs: 100 },
    },
    model: 'r-all-fail',
    check(result, recorded) {
      expect(result).toMatchObject({ status: 502, attemptsHeader: '4' });
      expectCleanError(result.error);
      expect(recorded).toMatchObject({ attempts: 4, status: 'error', statusCode: 502 });
    },
  },
  {
    name: 'every target times out: clean 504',
    route: { alias: 'r-all-hang', targets: [{ model: 'openai/seq-hang-tI', timeoutMs: 300 }] },
    model: 'r-all-hang',
    check(result, recorded) {
      expect(result).toMatchObject({ status: 504, attemptsHeader: '1' });
      expectCleanError(result.error);
      expect(recorded).toMatchObject({ attempts: 1, status: 'error', statusCode: 504 });
    },
  },
  {
    name: 'direct call, upstream 500: clean 502',
    model: 'openai/seq-500-tJ',
    check(result, recorded) {
      expect(result).toMatchObject({ status: 502, attemptsHeader: '1' });
      expectCleanError(result.error);
      expect(recorded).toMatchObject({ attempts: 1, status: 'error', statusCode: 502 });
    },
  },
];
