import type { AttributeReader } from './attribute-reader.js';
import type { OtlpSpan } from './otlp-span.js';
import { dateFromMilliseconds, isoFromUnixNanos } from './unix-nanos.js';

export const FIRST_CHUNK_EVENT = 'ai.stream.firstChunk';

/**
 * When the first streamed chunk arrived: Vercel AI SDK `ai.response.msToFirstChunk` (v3:
 * `ai.stream.msToFirstChunk`, milliseconds after the start), GenAI
 * `gen_ai.response.time_to_first_chunk` (seconds), or the time of the `ai.stream.firstChunk` event.
 */
export function completionStartTimeOf(options: {
  span: OtlpSpan;
  attributes: AttributeReader;
  startTime: Date;
}): string | undefined {
  const { span, attributes, startTime } = options;
  const milliseconds = attributes.readNumber('ai.response.msToFirstChunk', 'ai.stream.msToFirstChunk');
  const seconds = attributes.readNumber('gen_ai.response.time_to_first_chunk');
  const offsetMs = milliseconds ?? (seconds === undefined ? undefined : seconds * 1000);
  if (offsetMs !== undefined && offsetMs >= 0) {
    return dateFromMilliseconds(startTime.getTime() + offsetMs)?.toISOString();
  }
  const firstChunk = span.events.find((event) => event.name === FIRST_CHUNK_EVENT);
  return firstChunk ? isoFromUnixNanos(firstChunk.timeUnixNano) : undefined;
}
