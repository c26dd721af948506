import { isPromiseLike } from './settle.js';

type ApiPromiseLike = {
  _thenUnwrap?: (transform: (value: unknown) => unknown) => unknown;
  responsePromise?: unknown;
};

export type PromiseObserver = { onValue(value: unknown): void; onError(error: unknown): void };

/**
 * Observes what an `openai` or `@anthropic-ai/sdk` call returns without changing it. Those return an
 * `APIPromise` whose body is parsed only when someone awaits it (`asResponse()` leaves the body to
 * the caller), so awaiting it here would steal the body. Instead, success is seen through
 * `_thenUnwrap`, the hook both SDKs use to derive an APIPromise (Anthropic's own tracing does), which
 * keeps `withResponse()`, `asResponse()` and the result type; failure through the response promise,
 * which rejects with the SDK's own error before any parsing. Any other promise is observed on a side
 * branch and returned as it is.
 */
export function tapApiPromise<TResult>(result: TResult, observer: PromiseObserver): TResult {
  const apiPromise = result as ApiPromiseLike;
  if (isObject(result) && typeof apiPromise._thenUnwrap === 'function') {
    const derived = apiPromise._thenUnwrap((value) => {
      observer.onValue(value);
      return value;
    });
    if (isPromiseLike(apiPromise.responsePromise)) apiPromise.responsePromise.then(undefined, observer.onError);
    return derived as TResult;
  }
  if (isPromiseLike(result)) result.then(observer.onValue, observer.onError);
  else observer.onValue(result);
  return result;
}

function isObject(value: unknown): value is object {
  return (typeof value === 'object' || typeof value === 'function') && value !== null;
}
