/**
 * @switchyard/sdk: records LLM calls, traces, spans and scores, and sends them to a Switchyard
 * server's `POST /v1/ingest`. Works in Node and in fetch-only runtimes (edge, workers, serverless).
 */
export { SwitchyardClient } from './client.js';
export { currentClient, flush, init, score, shutdown, span, trace } from './global-client.js';
export type { ObservationLevel, ObservationType } from './ingest-event.js';
export type { FetchLike, SwitchyardOptions } from './options.js';
export type { ScoreOptions } from './score.js';
export type { SpanHandle, SpanOptions, SpanType, SpanUpdate } from './span.js';
export { SwitchyardError, type SwitchyardErrorKind } from './switchyard-error.js';
export type { TraceHandle, TraceOptions, TraceUpdate } from './trace.js';
export { SDK_VERSION } from './version.js';
export { wrapAnthropic } from './wrap-anthropic.js';
export { wrapOpenAI } from './wrap-openai.js';
export type { WrapOptions } from './wrap-options.js';
