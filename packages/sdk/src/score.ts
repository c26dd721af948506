import { currentContext } from './context.js';
import { newId } from './ingest-event.js';
import { definedFields, type Recorder } from './recorder.js';
import { SwitchyardError } from './switchyard-error.js';

/** Options of `score()`. */
export type ScoreOptions = {
  /** The trace scored. Default: the current trace. */
  traceId?: string;
  /** One observation of it (a span or a generation), when the score is about that step. */
  observationId?: string;
  /** What is measured, e.g. `helpfulness`, `exact-match`. */
  name: string;
  value: number;
  comment?: string;
};

export function recordScore(recorder: Recorder, options: ScoreOptions): void {
  if (!recorder.enabled) return;
  const context = currentContext();
  const traceId = options.traceId ?? context?.traceId;
  const usage = (message: string) => recorder.report(new SwitchyardError({ kind: 'usage', message }));
  if (!traceId) {
    usage(`score "${options.name}" has no traceId and was not given inside a trace; not recorded`);
    return;
  }
  if (typeof options.value !== 'number' || !Number.isFinite(options.value)) {
    usage(`score "${options.name}" needs a finite number as value; not recorded`);
    return;
  }
  // A score of a trace that sampling dropped would point at nothing.
  if (context && context.traceId === traceId && !context.sampled) return;
  recorder.record('score-create', {
    id: newId(),
    traceId,
    name: options.name,
    value: options.value,
    ...definedFields({ observationId: options.observationId, comment: options.comment }),
    source: 'sdk',
  });
}
