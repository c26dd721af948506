import { SwitchyardClient } from './client.js';
import type { SwitchyardOptions } from './options.js';
import type { ScoreOptions } from './score.js';
import { sharedState } from './shared-state.js';
import { NOOP_SPAN_HANDLE, type SpanHandle, type SpanOptions } from './span.js';
import { NOOP_TRACE_HANDLE, type TraceHandle, type TraceOptions } from './trace.js';

/**
 * The client made by the last `init()`, which the module-level functions and wrapped clients use;
 * undefined before `init()` and after `shutdown()`.
 *
 * @example
 * const dropped = currentClient()?.dropped ?? 0;
 */
export function currentClient(): SwitchyardClient | undefined {
  return sharedState().client as SwitchyardClient | undefined;
}

/**
 * Creates the client the module-level functions (`trace`, `span`, `score`, `flush`, `shutdown`) and
 * wrapped LLM clients record with. Options fall back to `SWITCHYARD_API_KEY` and `SWITCHYARD_URL`.
 * Calling it again replaces the client (the previous one flushes and stops). Never throws: bad
 * options are reported through `onError` and replaced by defaults.
 *
 * @example
 * import { init } from '@switchyard/sdk';
 *
 * init({ apiKey: process.env.SWITCHYARD_API_KEY, endpoint: 'https://switchyard.example.com' });
 */
export function init(options?: SwitchyardOptions): SwitchyardClient {
  const state = sharedState();
  const previous = state.client as SwitchyardClient | undefined;
  const client = new SwitchyardClient(options);
  state.client = client;
  if (previous) void previous.shutdown();
  return client;
}

/**
 * Runs `callback` as a trace: one request, job or conversation turn. Spans and wrapped LLM calls
 * made inside it, across `await`s, become its children. The callback's return value (or throw, or
 * promise) comes back unchanged. Without `init()` it just runs the callback.
 *
 * @example
 * const reply = await trace('support-chat', async (current) => {
 *   const text = await answer(message);
 *   current.update({ output: text });
 *   return text;
 * }, { userId: user.id, sessionId: conversation.id, input: message });
 */
export function trace<TResult>(
  name: string,
  callback: (trace: TraceHandle) => TResult,
  options?: TraceOptions,
): TResult {
  const client = currentClient();
  return client ? client.trace(name, callback, options) : callback(NOOP_TRACE_HANDLE);
}

/**
 * Runs `callback` as a span: one step of the current trace (a tool call, a retrieval, an agent
 * loop). It records start, end, and error status if the callback throws or rejects; nested spans and
 * wrapped LLM calls become its children. Outside a trace it starts one of the same name.
 *
 * @example
 * const documents = await span('search-docs', async (step) => {
 *   const hits = await index.search(query);
 *   step.update({ output: hits.map((hit) => hit.id) });
 *   return hits;
 * }, { type: 'retrieval', input: query });
 */
export function span<TResult>(name: string, callback: (span: SpanHandle) => TResult, options?: SpanOptions): TResult {
  const client = currentClient();
  return client ? client.span(name, callback, options) : callback(NOOP_SPAN_HANDLE);
}

/**
 * Records a score (a user rating, an eval result) of a trace, by default the current one, or of one
 * observation in it.
 *
 * @example
 * trace('answer', async (current) => {
 *   const text = await answer(question);
 *   score({ name: 'length-ok', value: text.length < 500 ? 1 : 0 });
 *   return text;
 * });
 * // later, from a feedback endpoint:
 * score({ traceId, name: 'thumbs-up', value: 1, comment: 'spot on' });
 */
export function score(options: ScoreOptions): void {
  currentClient()?.score(options);
}

/**
 * Sends everything recorded so far and resolves when it is delivered (or given up on). Never
 * rejects. In serverless and edge functions, await it before returning: the runtime may freeze the
 * moment the response is sent.
 *
 * @example
 * export async function POST(request: Request) {
 *   const reply = await trace('chat', () => handle(request));
 *   await flush();
 *   return Response.json(reply);
 * }
 */
export function flush(): Promise<void> {
  return currentClient()?.flush() ?? Promise.resolve();
}

/**
 * Flushes and stops the current client; the module-level functions become no-ops until the next
 * `init()`. In Node, a script that ends by itself is flushed anyway (on `beforeExit`); call this
 * before `process.exit()` or on a termination signal.
 *
 * @example
 * process.on('SIGTERM', async () => {
 *   await shutdown();
 *   process.exit(0);
 * });
 */
export async function shutdown(): Promise<void> {
  const state = sharedState();
  const client = state.client as SwitchyardClient | undefined;
  state.client = undefined;
  await client?.shutdown();
}
