import { once } from 'node:events';
import type { Usage } from '@switchyard/shared';
import type { FastifyReply } from 'fastify';
import { databaseHttpError } from '../../db/http-errors.js';
import { toHttpError } from '../../http/error-handler.js';
import { type ChatResult, type JsonObject, NO_USAGE, usageFromOpenAi } from '../providers/provider.js';
import { toClientError } from '../providers/upstream-error.js';
import { awaitFirstItem } from './first-item.js';
import { formatSse } from './sse.js';
import { StreamAccumulator } from './stream-accumulator.js';

export type RelayOutcome = {
  usage: Usage;
  ttftMs: number | undefined;
  /** Why the stream did not complete, if it did not. */
  failure: string | undefined;
  clientClosed: boolean;
  output: ReturnType<StreamAccumulator['choices']>;
};

function hasOutput(chunk: JsonObject): boolean {
  const choices = chunk.choices as Array<{ delta?: { content?: string | null; tool_calls?: unknown[] } }> | undefined;
  return Boolean(choices?.some((choice) => choice.delta?.content || choice.delta?.tool_calls?.length));
}

/**
 * Writes OpenAI chunks to the client as server-sent events as they arrive, respecting backpressure.
 * A stream that breaks ends with an SSE error event, never with a clean `[DONE]`.
 */
export async function relayStream(options: {
  reply: FastifyReply;
  chunks: AsyncIterable<JsonObject>;
  /** performance.now() when the request began, for time to first token. */
  started: number;
  /** Whether the client asked for the usage chunk; if not, the one we asked for is hidden from it. */
  clientWantsUsage: boolean;
  signal: AbortSignal;
}): Promise<RelayOutcome> {
  const { reply } = options;
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    ...(reply.getHeaders() as Record<string, string>),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  const output = new StreamAccumulator();
  let usage = NO_USAGE;
  let ttftMs: number | undefined;
  let failure: string | undefined;
  try {
    for await (const chunk of options.chunks) {
      if (chunk.usage) usage = usageFromOpenAi(chunk.usage);
      if (ttftMs === undefined && hasOutput(chunk)) ttftMs = performance.now() - options.started;
      output.add(chunk);
      if (!options.clientWantsUsage) {
        if (Array.isArray(chunk.choices) && chunk.choices.length === 0 && chunk.usage) continue;
        delete chunk.usage;
      }
      if (!raw.write(formatSse(JSON.stringify(chunk)))) await once(raw, 'drain');
    }
    raw.write(formatSse('[DONE]'));
  } catch (error) {
    const httpError = toClientError(error) ?? toHttpError(error, databaseHttpError).httpError;
    failure = options.signal.aborted ? 'client closed the stream' : httpError.message;
    if (!raw.destroyed) {
      raw.write(
        formatSse(
          JSON.stringify({
            error: { message: httpError.message, type: 'server_error', code: httpError.code, param: null },
          }),
        ),
      );
    }
    if (!(toClientError(error) || options.signal.aborted)) reply.log.error({ err: error }, 'stream failed');
  } finally {
    raw.end();
  }
  return { usage, ttftMs, failure, clientClosed: options.signal.aborted, output: output.choices() };
}

/**
 * Waits for a stream's first chunk, so that a failure before it counts against this attempt (and
 * can fall back) while one after it reaches the client as an SSE error.
 */
export async function startStream(result: ChatResult): Promise<ChatResult> {
  if (!result.stream) return result;
  return { stream: true, chunks: await awaitFirstItem(result.chunks) };
}
