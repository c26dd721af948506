export type StreamEnd = { kind: 'done' } | { kind: 'cancelled' } | { kind: 'error'; error: unknown };

export type StreamObserver = { onItem(item: unknown): void; onEnd(end: StreamEnd): void };

/**
 * Makes a provider SDK's `Stream` report each item it yields, in place: the caller keeps the very
 * object, with its `controller`, `tee()` and `toReadableStream()`, and gets the same items and the
 * same errors. Both SDKs iterate through `stream.iterator()`, so wrapping that covers every reader.
 * Returns false when `stream` is not one.
 */
export function tapStream(stream: unknown, observer: StreamObserver): boolean {
  if (typeof stream !== 'object' || stream === null) return false;
  const target = stream as { iterator?: () => AsyncIterator<unknown> };
  const original = target.iterator;
  if (typeof original === 'function') {
    target.iterator = () => observeIterator(original.call(target), observer);
    return true;
  }
  const iterable = stream as AsyncIterable<unknown>;
  const iterate = iterable[Symbol.asyncIterator];
  if (typeof iterate !== 'function') return false;
  Object.defineProperty(stream, Symbol.asyncIterator, {
    value: () => observeIterator(iterate.call(stream), observer),
    configurable: true,
    writable: true,
  });
  return true;
}

function observeIterator(inner: AsyncIterator<unknown>, observer: StreamObserver): AsyncIterableIterator<unknown> {
  let ended = false;
  const end = (how: StreamEnd) => {
    if (ended) return;
    ended = true;
    observer.onEnd(how);
  };
  return {
    async next(...args: [] | [unknown]) {
      let result: IteratorResult<unknown>;
      try {
        result = await inner.next(...args);
      } catch (error) {
        end({ kind: 'error', error });
        throw error;
      }
      if (result.done) end({ kind: 'done' });
      else observer.onItem(result.value);
      return result;
    },
    async return(value?: unknown) {
      end({ kind: 'cancelled' });
      return inner.return ? inner.return(value) : { done: true as const, value };
    },
    async throw(error?: unknown) {
      end({ kind: 'error', error });
      if (inner.throw) return inner.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
