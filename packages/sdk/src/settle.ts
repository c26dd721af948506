export type Outcome = { failed: false } | { failed: true; error: unknown };

/**
 * Runs `callback` and tells `onSettled` how it ended, without touching what it returns or throws:
 * a sync result or throw passes straight through; a promise is returned as the very same object,
 * observed on a side branch. `onSettled` must not throw.
 */
export function runSettled<TResult>(callback: () => TResult, onSettled: (outcome: Outcome) => void): TResult {
  let result: TResult;
  try {
    result = callback();
  } catch (error) {
    onSettled({ failed: true, error });
    throw error;
  }
  if (isPromiseLike(result)) {
    result.then(
      () => onSettled({ failed: false }),
      (error: unknown) => onSettled({ failed: true, error }),
    );
  } else onSettled({ failed: false });
  return result;
}

export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Runs instrumentation code that must never disturb the host: a throw becomes a report. */
export function safely(callback: () => void, onError: (error: unknown) => void): void {
  try {
    callback();
  } catch (error) {
    try {
      onError(error);
    } catch {
      // The reporter itself failed; there is nowhere left to tell.
    }
  }
}
