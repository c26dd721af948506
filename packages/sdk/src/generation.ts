import { currentContext } from './context.js';
import { newId, type ObservationLevel, type Usage } from './ingest-event.js';
import { definedFields, nowIso, type Recorder } from './recorder.js';
import { messageOf } from './switchyard-error.js';

/** What is known of an LLM call before it is made. */
export type GenerationStart = {
  name: string;
  provider: string;
  model?: string;
  input?: unknown;
  metadata?: Record<string, unknown>;
};

/** What the answer added. */
export type GenerationResult = {
  model?: string;
  output?: unknown;
  usage?: Usage;
  metadata?: Record<string, unknown>;
  level?: ObservationLevel;
  statusMessage?: string;
};

export type Generation = {
  /** Marks the first streamed output: `completionStartTime`. Later calls change nothing. */
  firstToken(): void;
  succeed(result: GenerationResult): void;
  fail(error: unknown, partial?: GenerationResult): void;
};

/**
 * One recorded LLM call, a `generation` observation under the current span, or at the top of a trace
 * of its own (named after the call) when no trace is open. Recorded once, when it ends.
 */
export function startGeneration(recorder: Recorder, start: GenerationStart): Generation {
  const parent = currentContext();
  const traceId = parent?.traceId ?? newId();
  const sampled = parent ? parent.sampled : recorder.sampleTrace();
  const id = newId();
  const startTime = nowIso();
  let completionStartTime: string | undefined;
  let finished = false;

  const finish = (result: GenerationResult & { status: 'success' | 'error' }) => {
    if (finished) return;
    finished = true;
    if (!sampled) return;
    const endTime = nowIso();
    const metadata = { ...start.metadata, ...result.metadata };
    recorder.record('observation-create', {
      id,
      traceId,
      type: 'generation',
      name: start.name,
      provider: start.provider,
      startTime,
      endTime,
      status: result.status,
      ...definedFields({
        parentId: parent?.parentId,
        model: result.model ?? start.model,
        completionStartTime,
        usage: result.usage,
        level: result.level,
        statusMessage: result.statusMessage,
        input: start.input,
        output: result.output,
        metadata: Object.keys(metadata).length > 0 ? metadata : undefined,
      }),
    });
    if (!parent) recorder.record('trace-create', { id: traceId, name: start.name, startTime, endTime });
  };

  return {
    firstToken() {
      completionStartTime ??= nowIso();
    },
    succeed(result) {
      finish({ ...result, status: 'success' });
    },
    fail(error, partial) {
      finish({ ...partial, status: 'error', level: 'ERROR', statusMessage: messageOf(error) });
    },
  };
}
