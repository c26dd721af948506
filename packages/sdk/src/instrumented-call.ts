import { tapApiPromise } from './api-promise-tap.js';
import { type Generation, type GenerationResult, type GenerationStart, startGeneration } from './generation.js';
import type { Method } from './instrument-method.js';
import type { Recorder } from './recorder.js';
import { safely } from './settle.js';
import { tapStream } from './stream-tap.js';
import { messageOf, SwitchyardError } from './switchyard-error.js';

/** Folds a streamed answer, item by item, into what a whole answer would have told. */
export type StreamAccumulator = {
  /** Takes one streamed item; true when it carried output (the first such is the first token). */
  add(item: unknown): boolean;
  result(): GenerationResult;
};

/** How one provider method's request and answer read as a generation. */
export type CallRecording = {
  start(request: Record<string, unknown>): GenerationStart;
  finish(response: unknown): GenerationResult;
  accumulateStream(): StreamAccumulator;
};

/**
 * `original`, recording each call as a generation with the client `resolveRecorder()` gives at call
 * time (none: the call runs untouched). What the caller gets — value, stream, error, the SDK's
 * promise type — is what `original` gave; recording problems are reported, never thrown.
 */
export function instrumentCall(
  original: Method,
  recording: CallRecording,
  resolveRecorder: () => Recorder | undefined,
): Method {
  return function instrumented(this: unknown, ...args: unknown[]) {
    const recorder = resolveRecorder();
    if (!recorder?.enabled) return original.apply(this, args);
    const report = (error: unknown) =>
      recorder.report(
        new SwitchyardError({
          kind: 'instrumentation',
          message: `could not record a call: ${messageOf(error)}`,
          cause: error,
        }),
      );
    const request = (typeof args[0] === 'object' && args[0] !== null ? args[0] : {}) as Record<string, unknown>;
    let generation: Generation | undefined;
    safely(() => {
      generation = startGeneration(recorder, recording.start(request));
    }, report);
    if (!generation) return original.apply(this, args);
    const call = generation;
    let result: unknown;
    try {
      result = original.apply(this, args);
    } catch (error) {
      safely(() => call.fail(error), report);
      throw error;
    }
    const observeValue = (value: unknown) => {
      if (request.stream === true && observeStream(value, recording.accumulateStream(), call, report)) return;
      call.succeed(recording.finish(value));
    };
    try {
      return tapApiPromise(result, {
        onValue: (value) => safely(() => observeValue(value), report),
        onError: (error) => safely(() => call.fail(error), report),
      });
    } catch (error) {
      report(error);
      return result;
    }
  };
}

function observeStream(
  stream: unknown,
  accumulator: StreamAccumulator,
  call: Generation,
  report: (error: unknown) => void,
): boolean {
  return tapStream(stream, {
    onItem: (item) =>
      safely(() => {
        if (accumulator.add(item)) call.firstToken();
      }, report),
    onEnd: (end) =>
      safely(() => {
        const result = accumulator.result();
        if (end.kind === 'error') call.fail(end.error, result);
        else if (end.kind === 'cancelled') {
          call.succeed({ ...result, statusMessage: 'the caller stopped reading the stream before its end' });
        } else call.succeed(result);
      }, report),
  });
}
