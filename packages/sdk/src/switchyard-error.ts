/**
 * What went wrong inside the SDK, by kind:
 * - `config`: an option was invalid or missing (the client may be disabled);
 * - `delivery`: a batch could not be sent after every retry (network errors, 5xx, 429);
 * - `rejected`: the server refused a request or single events (4xx); these are never retried;
 * - `queue-overflow`: the queue was full, so its oldest event was dropped;
 * - `event-too-large`: one event was over the server's size limit: sent without its payloads, or dropped;
 * - `serialize`: an event could not be turned into JSON;
 * - `mask`: the `mask` option threw; the field was left out;
 * - `usage`: a call that cannot be recorded, e.g. `score()` outside a trace without a `traceId`;
 * - `instrumentation`: a wrapped client could not be observed; the call itself went ahead.
 */
export type SwitchyardErrorKind =
  | 'config'
  | 'delivery'
  | 'rejected'
  | 'queue-overflow'
  | 'event-too-large'
  | 'serialize'
  | 'mask'
  | 'usage'
  | 'instrumentation';

/**
 * The value handed to the `onError` option. The SDK never throws into your code; it reports here.
 *
 * @example
 * init({ onError: (error) => logger.warn({ kind: error.kind, status: error.status }, error.message) });
 */
export class SwitchyardError extends Error {
  override readonly name = 'SwitchyardError';
  readonly kind: SwitchyardErrorKind;
  /** The HTTP status, when the server answered. */
  readonly status?: number;
  /** The envelope ids of the events concerned, when known. */
  readonly eventIds?: readonly string[];

  constructor(options: {
    kind: SwitchyardErrorKind;
    message: string;
    status?: number;
    eventIds?: readonly string[];
    cause?: unknown;
  }) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.kind = options.kind;
    this.status = options.status;
    this.eventIds = options.eventIds;
  }
}

export type ErrorHandler = (error: SwitchyardError) => void;

/** Without an `onError`, each kind is written to `console.warn` once, so a dead endpoint cannot flood logs. */
export function createErrorReporter(onError: ErrorHandler | undefined): ErrorHandler {
  const warned = new Set<SwitchyardErrorKind>();
  const handler: ErrorHandler =
    onError ??
    ((error) => {
      if (warned.has(error.kind)) return;
      warned.add(error.kind);
      globalThis.console?.warn?.(`[switchyard] ${error.message} (further "${error.kind}" errors are not shown)`);
    });
  return (error) => {
    try {
      handler(error);
    } catch {
      // A throwing onError must not reach the host app either.
    }
  };
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : String(error);
}
