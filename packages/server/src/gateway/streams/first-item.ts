/**
 * Waits for the first item of an async stream and returns the stream again, first item included.
 * A stream's call "succeeds" only once its first item is in hand, so a failure before it counts
 * against the attempt (and can fall back) while one after it reaches the client mid-stream.
 */
export async function awaitFirstItem<TItem>(items: AsyncIterable<TItem>): Promise<AsyncIterable<TItem>> {
  const iterator = items[Symbol.asyncIterator]();
  const first = await iterator.next();
  async function* replay(): AsyncGenerator<TItem> {
    if (first.done) return;
    let finished = false;
    try {
      yield first.value;
      for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
      finished = true;
    } finally {
      // A consumer that stops early releases the upstream (closes its response body).
      if (!finished) await iterator.return?.();
    }
  }
  return replay();
}
