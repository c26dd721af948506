import { createErrorReporter, type ErrorHandler, SwitchyardError } from './switchyard-error.js';

/** The part of `fetch` the SDK uses; the global `fetch` of Node 18+, Deno, Bun and edge runtimes fits. */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignal },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

/** Options of `init()` and `new SwitchyardClient()`; every one is optional. */
export type SwitchyardOptions = {
  /** Secret API key (`sy-…`). Default: `SWITCHYARD_API_KEY`. Without one the client records nothing. */
  apiKey?: string;
  /** Base URL of the Switchyard server. Default: `SWITCHYARD_URL`, else `http://localhost:8080`. */
  endpoint?: string;
  /** `false` turns the client into a no-op (wrapped calls still run, nothing is recorded). Default `true`. */
  enabled?: boolean;
  /**
   * `batch` (default) sends events in the background, by count and by interval. `immediate` sends
   * each event as it is recorded and sets no timer: for serverless and edge functions, which must
   * `await flush()` before they return.
   */
  mode?: 'batch' | 'immediate';
  /** Events per request in batch mode. Default 100. */
  flushAt?: number;
  /** Longest an event waits in batch mode before it is sent, in ms. Default 1000. */
  flushIntervalMs?: number;
  /** Events held while the server is slow or down; when full, the oldest are dropped (see `client.dropped`). Default 10,000. */
  maxQueueSize?: number;
  /** Retries of a request after a network error, a 5xx or a 429. Default 3. */
  maxRetries?: number;
  /** First retry delay in ms, doubled per attempt, with jitter (a 429's `retry-after` wins). Default 500. */
  retryDelayMs?: number;
  /** Time allowed for one request, in ms. Default 10,000. */
  requestTimeoutMs?: number;
  /** Share of traces recorded, 0 to 1, decided once per trace so a trace is kept or dropped whole. Default 1. */
  sampleRate?: number;
  /** Applied to every `input`, `output` and `metadata` before it is queued: redact secrets and personal data here. */
  mask?: (value: unknown) => unknown;
  /** A `fetch` to send with (a proxy agent, a test double). Default: the global `fetch`. */
  fetch?: FetchLike;
  /** Called on every problem inside the SDK. Default: `console.warn`, once per kind of problem. */
  onError?: (error: SwitchyardError) => void;
};

export type ResolvedOptions = {
  enabled: boolean;
  apiKey: string;
  ingestUrl: string;
  mode: 'batch' | 'immediate';
  flushAt: number;
  flushIntervalMs: number;
  maxQueueSize: number;
  maxRetries: number;
  retryDelayMs: number;
  requestTimeoutMs: number;
  sampleRate: number;
  mask: ((value: unknown) => unknown) | undefined;
  fetch: FetchLike;
  report: ErrorHandler;
};

export const DEFAULT_ENDPOINT = 'http://localhost:8080';

/** Options with their environment fallbacks and defaults; a bad value is reported and replaced, never thrown. */
export function resolveOptions(options: SwitchyardOptions = {}): ResolvedOptions {
  const report = createErrorReporter(options.onError);
  // `globalThis.process?.env`, not `process.env`: edge runtimes may have no `process` at all.
  const env = (globalThis.process?.env ?? {}) as Record<string, string | undefined>;
  const apiKey = options.apiKey ?? env.SWITCHYARD_API_KEY ?? '';
  const endpoint = (options.endpoint ?? env.SWITCHYARD_URL ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const globalFetch = globalThis.fetch as FetchLike | undefined;
  // Looked up per call, so a fetch patched after init (tracing, proxies) is the one used.
  const fetch: FetchLike | undefined =
    options.fetch ?? (globalFetch ? (url, init) => (globalThis.fetch as FetchLike)(url, init) : undefined);
  const configError = (message: string) => report(new SwitchyardError({ kind: 'config', message }));
  let enabled = options.enabled !== false;
  if (enabled && !apiKey) {
    configError('no API key: pass `apiKey` to init() or set SWITCHYARD_API_KEY; nothing will be recorded');
    enabled = false;
  }
  if (enabled && !fetch) {
    configError('no global fetch in this runtime: pass `fetch` to init(); nothing will be recorded');
    enabled = false;
  }
  const number = (name: keyof SwitchyardOptions, fallback: number, minimum: number, maximum = Infinity) => {
    const value = options[name];
    if (value === undefined) return fallback;
    if (typeof value === 'number' && value >= minimum && value <= maximum) return value;
    configError(`\`${name}\` must be a number from ${minimum} to ${maximum}; using ${fallback}`);
    return fallback;
  };
  const mode = options.mode ?? 'batch';
  if (mode !== 'batch' && mode !== 'immediate') configError('`mode` must be "batch" or "immediate"; using "batch"');
  return {
    enabled,
    apiKey,
    ingestUrl: `${endpoint}/v1/ingest`,
    mode: mode === 'immediate' ? 'immediate' : 'batch',
    flushAt: Math.floor(number('flushAt', 100, 1)),
    flushIntervalMs: number('flushIntervalMs', 1_000, 0),
    maxQueueSize: Math.floor(number('maxQueueSize', 10_000, 1)),
    maxRetries: Math.floor(number('maxRetries', 3, 0)),
    retryDelayMs: number('retryDelayMs', 500, 0),
    requestTimeoutMs: number('requestTimeoutMs', 10_000, 1),
    sampleRate: number('sampleRate', 1, 0, 1),
    mask: options.mask,
    fetch: fetch ?? (() => Promise.reject(new Error('no fetch'))),
    report,
  };
}
