import { once } from 'node:events';
import type { FastifyReply } from 'fastify';
import { databaseHttpError } from '../../db/http-errors.js';
import { toHttpError } from '../../http/error-handler.js';
import { ProviderError } from '../providers/provider-error.js';
import { toClientError } from '../providers/upstream-error.js';
import { formatSse } from '../streams/sse.js';

/** Anthropic's error types look like `overloaded_error`; other codes (ours) are reported as `api_error`. */
const ANTHROPIC_ERROR_TYPE = /^[a-z_]+_error$/;

/**
 * The client's end of a Messages stream: SSE headers, writes that respect backpressure, and the
 * `error` event that ends a broken stream (never a clean end after a failure: Anthropic's SDK raises
 * on an `error` event, and would otherwise hand the user a truncated message as if it were whole).
 */
export class ClientEventStream {
  readonly #reply: FastifyReply;
  readonly #signal: AbortSignal;

  constructor(options: { reply: FastifyReply; signal: AbortSignal }) {
    this.#reply = options.reply;
    this.#signal = options.signal;
    options.reply.hijack();
    options.reply.raw.writeHead(200, {
      ...(options.reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    });
  }

  async write(text: string): Promise<void> {
    // Waiting for `drain` ends with the client's signal, or a closed socket would hold the call forever.
    if (text && !this.#reply.raw.write(text)) await once(this.#reply.raw, 'drain', { signal: this.#signal });
  }

  /** Ends the stream with an `error` event and returns why it failed, for the call's record. */
  fail(error: unknown): string {
    const httpError = toClientError(error) ?? toHttpError(error, databaseHttpError).httpError;
    if (!(toClientError(error) || this.#signal.aborted)) this.#reply.log.error({ err: error }, 'stream failed');
    const type = error instanceof ProviderError && ANTHROPIC_ERROR_TYPE.test(error.code) ? error.code : 'api_error';
    const raw = this.#reply.raw;
    if (!raw.destroyed)
      raw.write(formatSse(JSON.stringify({ type: 'error', error: { type, message: httpError.message } }), 'error'));
    return this.#signal.aborted ? 'client closed the stream' : httpError.message;
  }

  end(): void {
    this.#reply.raw.end();
  }
}
