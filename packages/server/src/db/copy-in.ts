import { once } from 'node:events';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from './client.js';

/**
 * The node-postgres connection a drizzle transaction runs on. COPY needs the connection itself: it
 * is a sub-protocol of its own, which the query builder cannot speak.
 */
function connectionOf(tx: Database): pg.ClientBase {
  const client = (tx as unknown as { session?: { client?: pg.ClientBase } }).session?.client;
  if (!client || typeof client.query !== 'function') throw new Error('COPY needs a transaction on a pg connection');
  return client;
}

/**
 * Runs `COPY <table> (<columns>) FROM STDIN` in the caller's transaction, sending each chunk of
 * text-format rows as it is made (a chunk per turn of the event loop keeps long batches from
 * holding it). Fails as an INSERT of the same rows would: 23505 on a key already stored.
 */
export async function copyIn(options: {
  tx: Database;
  table: string;
  columns: readonly string[];
  chunks: AsyncIterable<string>;
}): Promise<void> {
  const stream = connectionOf(options.tx).query(
    copyFrom(`copy ${options.table} (${options.columns.join(', ')}) from stdin`),
  );
  const failed = once(stream, 'error').then(([error]) => Promise.reject(error));
  // The error, if any, is awaited below; until then it must not count as unhandled.
  failed.catch(() => {});
  try {
    for await (const chunk of options.chunks) {
      if (!stream.write(chunk)) await Promise.race([once(stream, 'drain'), failed]);
    }
  } catch (error) {
    stream.destroy(error as Error);
    await Promise.race([once(stream, 'close'), failed]).catch(() => {});
    throw error;
  }
  stream.end();
  await Promise.race([once(stream, 'finish'), failed]);
}
