import { once } from 'node:events';
import { type ClientRequest, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

const CHUNK_BYTES = 64 * 1024;
const EARLY_ANSWER_MS = 500;
// Over every body limit of the server (5 MB).
const OVERSIZED_BYTES = 5 * 1024 * 1024;

/** What came back: a status and body, or how the connection failed (`reset`, `timeout`). */
export type RawAnswer = { status: number; body: string } | { status: 'reset' | 'timeout'; body: string };

/**
 * Sends exactly these bytes and headers (no client-side fixing up, unlike fetch). An answer that
 * arrives before the connection drops counts, as a client that reads while it writes sees it.
 */
export function rawRequest(options: {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (answer: RawAnswer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(answer);
    };
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const outgoing = request(options.url, {
      method: options.method,
      headers: { ...options.headers, ...(body ? { 'content-length': String(body.length) } : {}) },
      agent: false,
    });
    const timer = setTimeout(() => {
      settle({ status: 'timeout', body: '' });
      outgoing.destroy();
    }, options.timeoutMs ?? 30_000);
    outgoing.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        settle({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, 2_000) }),
      );
      // The server may close right after answering (it does after a 413 it did not read the body of).
      response.on('error', () =>
        settle({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('aborted', () =>
        settle({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    let answered = false;
    outgoing.on('response', () => {
      answered = true;
    });
    outgoing.on('error', (error) => {
      // An answer already on its way wins over the write that failed after it.
      setTimeout(() => settle({ status: 'reset', body: (error as Error).message }), 50);
    });
    void writeBody(outgoing, body, () => answered);
  });
}

/**
 * Writes a large body in pieces, stopping once an answer has come: a server refuses an oversized
 * body by its content-length (413) and closes the connection without reading the rest.
 */
async function writeBody(outgoing: ClientRequest, body: Buffer | undefined, answered: () => boolean): Promise<void> {
  if (!body || body.length <= CHUNK_BYTES) {
    outgoing.end(body);
    return;
  }
  if (body.length > OVERSIZED_BYTES) {
    // The headers alone say how large the body is: give the server the chance to refuse it first.
    outgoing.flushHeaders();
    await Promise.race([once(outgoing, 'response'), once(outgoing, 'close'), sleep(EARLY_ANSWER_MS)]);
  }
  for (let offset = 0; offset < body.length; offset += CHUNK_BYTES) {
    if (answered() || outgoing.destroyed) return;
    if (!outgoing.write(body.subarray(offset, offset + CHUNK_BYTES))) {
      await Promise.race([once(outgoing, 'drain'), once(outgoing, 'close'), once(outgoing, 'response')]);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!answered() && !outgoing.destroyed) outgoing.end();
}
