import { runInContext } from './context.js';
import { newId, type TraceBody } from './ingest-event.js';
import { definedFields, nowIso, type Recorder } from './recorder.js';
import { runSettled, safely } from './settle.js';
import { SwitchyardError } from './switchyard-error.js';

/** Options of `trace()`. */
export type TraceOptions = {
  /** Use this id instead of a fresh UUID, e.g. to continue a trace id from an incoming request. */
  traceId?: string;
  input?: unknown;
  metadata?: unknown;
  sessionId?: string;
  userId?: string;
  tags?: string[];
};

/** Fields a running (or finished) trace can be given. */
export type TraceUpdate = {
  name?: string;
  input?: unknown;
  output?: unknown;
  metadata?: unknown;
  sessionId?: string;
  userId?: string;
  tags?: string[];
};

/** What the `trace()` callback receives. */
export type TraceHandle = {
  readonly traceId: string;
  /** The same as `traceId`: a trace is addressed by its id. */
  readonly id: string;
  /** Sets fields, typically `output`, recorded when the trace ends (or at once if it has ended). */
  update(fields: TraceUpdate): void;
};

export const NOOP_TRACE_HANDLE: TraceHandle = { traceId: '', id: '', update: () => {} };

export function runTrace<TResult>(
  recorder: Recorder,
  name: string,
  callback: (trace: TraceHandle) => TResult,
  options: TraceOptions = {},
): TResult {
  if (!recorder.enabled) return callback(NOOP_TRACE_HANDLE);
  const traceId = options.traceId ?? newId();
  const sampled = recorder.sampleTrace();
  const body: TraceBody = {
    id: traceId,
    name,
    ...definedFields({
      sessionId: options.sessionId,
      userId: options.userId,
      tags: options.tags,
      input: options.input,
      metadata: options.metadata,
    }),
    startTime: nowIso(),
  };
  let ended = false;
  const report = (error: unknown) =>
    recorder.report(new SwitchyardError({ kind: 'instrumentation', message: String(error), cause: error }));
  const handle: TraceHandle = {
    traceId,
    id: traceId,
    update(fields) {
      safely(() => {
        if (!sampled) return;
        // After the end, a second trace-create carries the change: the server merges by trace id.
        if (ended) recorder.record('trace-create', { id: traceId, ...definedFields(fields) });
        else Object.assign(body, definedFields(fields));
      }, report);
    },
  };
  return runInContext({ traceId, parentId: undefined, sampled }, () =>
    runSettled(
      () => callback(handle),
      () =>
        safely(() => {
          ended = true;
          if (sampled) recorder.record('trace-create', { ...body, endTime: nowIso() });
        }, report),
    ),
  );
}
