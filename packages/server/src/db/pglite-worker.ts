// The embedded database's thread: PGlite (Postgres compiled to WASM) runs here, so its queries
// never stall the server's event loop. Each connection is a MessagePort carrying the Postgres wire
// protocol, which PGlite executes message by message (see pglite-thread.ts for the other end).
import { openAsBlob } from 'node:fs';
import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

export type WorkerRequest = { type: 'connect'; port: MessagePort } | { type: 'dump' } | { type: 'close' };
export type WorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'dumped'; data: Uint8Array }
  | { type: 'closed' };
/** A data directory tarball (from `dumpDataDir`) to create the database from: a file, from a byte offset. */
export type DataDirSource = { file: string; offset: number };

const parent = parentPort;
if (!parent) throw new Error('pglite-worker runs as a worker thread');
const { path, load } = workerData as { path: string | undefined; load: DataDirSource | undefined };

let db: PGlite;
try {
  // A file-backed Blob: the tarball is read as PGlite unpacks it, not loaded whole first.
  const loadDataDir = load ? (await openAsBlob(load.file)).slice(load.offset) : undefined;
  db = await PGlite.create(path, { loadDataDir });
} catch (error) {
  parent.postMessage({ type: 'failed', message: (error as Error).message } satisfies WorkerReply);
  process.exit(1);
}

const TERMINATE = 0x58;

// PGlite is one session: every connection's messages run one after another, in arrival order.
let queue: Promise<unknown> = Promise.resolve();
const serially = (task: () => Promise<unknown>) => {
  queue = queue.then(task, task);
};

/** Splits a connection's bytes into whole protocol messages; the first one is the untyped startup message. */
function messageSplitter() {
  let pending: Uint8Array = new Uint8Array(0);
  let started = false;
  return (chunk: Uint8Array): Uint8Array[] => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    const messages: Uint8Array[] = [];
    for (;;) {
      const view = new DataView(pending.buffer, pending.byteOffset, pending.byteLength);
      const headerLength = started ? 5 : 4;
      if (pending.length < headerLength) break;
      const length = started ? 1 + view.getInt32(1) : view.getInt32(0);
      if (pending.length < length) break;
      messages.push(pending.subarray(0, length));
      pending = pending.subarray(length);
      started = true;
    }
    return messages;
  };
}

function serve(port: MessagePort): void {
  const split = messageSplitter();
  port.on('message', (chunk: Uint8Array) => {
    // Terminate ('X') ends a server's session; PGlite's one session outlives its connections.
    const messages = split(chunk).filter((message) => message[0] !== TERMINATE);
    if (messages.length === 0) return;
    serially(async () => {
      const replies: Uint8Array[] = [];
      try {
        for (const message of messages) {
          // `data` is a view of PGlite's memory, reused by its next write: keep a copy.
          await db.execProtocolRawStream(message, { onRawData: (data) => replies.push(data.slice()) });
        }
      } catch {
        // The database itself failed (not a query error, which is a protocol reply): drop the connection.
        port.close();
        return;
      }
      const reply = new Uint8Array(Buffer.concat(replies));
      port.postMessage(reply, [reply.buffer]);
    });
  });
  // A connection that goes away mid-transaction must not leave it open for the next one.
  port.on('close', () =>
    serially(async () => {
      if (db.isInTransaction()) await db.exec('rollback');
    }),
  );
}

parent.on('message', (request: WorkerRequest) => {
  if (request.type === 'connect') serve(request.port);
  else if (request.type === 'dump')
    // Queued like a query, so the tarball is taken between statements, never inside one.
    serially(async () => {
      try {
        const tarball = await db.dumpDataDir('gzip');
        const data = new Uint8Array(await tarball.arrayBuffer());
        parent.postMessage({ type: 'dumped', data } satisfies WorkerReply, [data.buffer]);
      } catch (error) {
        parent.postMessage({ type: 'failed', message: (error as Error).message } satisfies WorkerReply);
      }
    });
  else
    serially(async () => {
      await db.close();
      parent.postMessage({ type: 'closed' } satisfies WorkerReply);
    });
});
parent.postMessage({ type: 'ready' } satisfies WorkerReply);
