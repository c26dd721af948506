import { Duplex } from 'node:stream';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import type { DataDirSource, WorkerReply, WorkerRequest } from './pglite-worker.js';

/**
 * A pg client's socket made of a MessagePort to the PGlite thread. node-postgres takes it through
 * its `stream` option, so the embedded database is reached with the same driver as a server.
 */
class PortSocket extends Duplex {
  readonly #port: MessagePort;

  constructor(port: MessagePort) {
    super();
    this.#port = port;
    port.on('message', (data: Uint8Array) => this.push(Buffer.from(data.buffer, data.byteOffset, data.byteLength)));
    port.on('close', () => this.push(null));
  }

  connect(): this {
    process.nextTick(() => this.emit('connect'));
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setKeepAlive(): this {
    return this;
  }

  ref(): this {
    this.#port.ref();
    return this;
  }

  unref(): this {
    this.#port.unref();
    return this;
  }

  override _read(): void {}

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const copy = new Uint8Array(chunk);
    this.#port.postMessage(copy, [copy.buffer]);
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.#port.close();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#port.close();
    callback(error);
  }
}

/** The PGlite worker thread: start it, open connections to it, close it (which flushes to disk). */
export class PgliteThread {
  readonly #worker: Worker;
  /** Why the thread is gone, once it is. */
  #exit: Error | undefined;
  readonly #waiters = new Set<(reply: WorkerReply | Error) => void>();

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (reply: WorkerReply) => {
      for (const waiter of this.#waiters) waiter(reply);
    });
    worker.on('error', (error) => {
      this.#exit = error;
    });
    worker.on('exit', (code) => {
      this.#exit ??= new Error(`the embedded database thread exited with code ${code}`);
      for (const waiter of this.#waiters) waiter(this.#exit);
    });
  }

  /** Starts PGlite on its own thread; `path` absent = in memory; `load` creates it from a dumped tarball. */
  static async start(path: string | undefined, load?: DataDirSource): Promise<PgliteThread> {
    const workerData = { path, load };
    const worker = import.meta.url.endsWith('.ts')
      ? // From source (tests) the worker is TypeScript: the thread registers tsx's loader, then imports it.
        new Worker(
          `import('tsx/esm/api').then((tsx) => tsx.register()).then(() => import(${JSON.stringify(new URL('./pglite-worker.ts', import.meta.url).href)}))`,
          { eval: true, workerData },
        )
      : new Worker(new URL('./pglite-worker.js', import.meta.url), { workerData });
    const thread = new PgliteThread(worker);
    await thread.#reply('ready');
    return thread;
  }

  /** Resolves on the worker's next reply of this type; rejects if it fails or exits first. */
  #reply<TYPE extends WorkerReply['type']>(expected: TYPE): Promise<Extract<WorkerReply, { type: TYPE }>> {
    return new Promise((resolve, reject) => {
      const waiter = (reply: WorkerReply | Error) => {
        if (reply instanceof Error) reject(reply);
        else if (reply.type === 'failed') reject(new Error(reply.message));
        else if (reply.type === expected) resolve(reply as Extract<WorkerReply, { type: TYPE }>);
        else return;
        this.#waiters.delete(waiter);
      };
      if (this.#exit) reject(this.#exit);
      else this.#waiters.add(waiter);
    });
  }

  /** A new connection, as a socket node-postgres can use. */
  connect(): Duplex {
    const { port1, port2 } = new MessageChannel();
    if (this.#exit) {
      const socket = new PortSocket(port1);
      process.nextTick(() => socket.destroy(this.#exit));
      return socket;
    }
    this.#worker.postMessage({ type: 'connect', port: port2 } satisfies WorkerRequest, [port2]);
    return new PortSocket(port1);
  }

  /** The whole data directory as a gzipped tarball, taken between queries. */
  async dump(): Promise<Uint8Array> {
    const dumped = this.#reply('dumped');
    this.#worker.postMessage({ type: 'dump' } satisfies WorkerRequest);
    return (await dumped).data;
  }

  /** Closes the database (after the queries already sent), which writes it to disk, and ends the thread. */
  async close(): Promise<void> {
    if (!this.#exit) {
      const closed = this.#reply('closed');
      this.#worker.postMessage({ type: 'close' } satisfies WorkerRequest);
      // A thread that died instead has nothing left to write.
      await closed.catch(() => {});
    }
    await this.#worker.terminate();
  }
}
