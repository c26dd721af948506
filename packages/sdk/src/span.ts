import { currentContext, runInContext } from './context.js';
import { newId, type ObservationCreateBody, type ObservationLevel } from './ingest-event.js';
import { definedFields, nowIso, type Recorder } from './recorder.js';
import { runSettled, safely } from './settle.js';
import { messageOf, SwitchyardError } from './switchyard-error.js';

/** What a span stands for; `generation` is kept for the wrapped LLM calls. */
export type SpanType = 'span' | 'tool' | 'agent' | 'retrieval' | 'event';

/** Options of `span()`. `sessionId`, `userId` and `tags` apply when the span starts a trace of its own. */
export type SpanOptions = {
  type?: SpanType;
  input?: unknown;
  metadata?: unknown;
  sessionId?: string;
  userId?: string;
  tags?: string[];
};

/** Fields a running (or finished) span can be given. */
export type SpanUpdate = {
  name?: string;
  input?: unknown;
  output?: unknown;
  metadata?: unknown;
  level?: ObservationLevel;
  statusMessage?: string;
};

/** What the `span()` callback receives. */
export type SpanHandle = {
  readonly traceId: string;
  /** This span's observation id, e.g. for `score({ observationId })`. */
  readonly id: string;
  /** Sets fields, typically `output`, recorded when the span ends (or at once if it has ended). */
  update(fields: SpanUpdate): void;
};

export const NOOP_SPAN_HANDLE: SpanHandle = { traceId: '', id: '', update: () => {} };

export function runSpan<TResult>(
  recorder: Recorder,
  name: string,
  callback: (span: SpanHandle) => TResult,
  options: SpanOptions = {},
): TResult {
  if (!recorder.enabled) return callback(NOOP_SPAN_HANDLE);
  const parent = currentContext();
  const traceId = parent?.traceId ?? newId();
  const sampled = parent ? parent.sampled : recorder.sampleTrace();
  const id = newId();
  const body: ObservationCreateBody = {
    id,
    traceId,
    ...definedFields({ parentId: parent?.parentId, input: options.input, metadata: options.metadata }),
    type: options.type ?? 'span',
    name,
    startTime: nowIso(),
  };
  let ended = false;
  const report = (error: unknown) =>
    recorder.report(new SwitchyardError({ kind: 'instrumentation', message: String(error), cause: error }));
  const handle: SpanHandle = {
    traceId,
    id,
    update(fields) {
      safely(() => {
        if (!sampled) return;
        if (ended) recorder.record('observation-update', { id, ...definedFields(fields) });
        else Object.assign(body, definedFields(fields));
      }, report);
    },
  };
  return runInContext({ traceId, parentId: id, sampled }, () =>
    runSettled(
      () => callback(handle),
      (outcome) =>
        safely(() => {
          ended = true;
          if (!sampled) return;
          const endTime = nowIso();
          const status = outcome.failed
            ? { status: 'error' as const, level: 'ERROR' as const, statusMessage: messageOf(outcome.error) }
            : { status: 'success' as const };
          recorder.record('observation-create', { ...body, ...status, endTime });
          // A span outside any trace starts one, named after it.
          if (!parent) {
            recorder.record('trace-create', {
              id: traceId,
              name,
              ...definedFields({ sessionId: options.sessionId, userId: options.userId, tags: options.tags }),
              startTime: body.startTime,
              endTime,
            });
          }
        }, report),
    ),
  );
}
