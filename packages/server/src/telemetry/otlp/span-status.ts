import type { OtlpSpan } from './otlp-span.js';

const MAX_STATUS_MESSAGE_LENGTH = 10_000;
const STATUS_CODE_ERROR = 2;

export type SpanStatus = { status: 'success' | 'error'; level?: 'ERROR'; statusMessage?: string };

/**
 * An error span (status code 2) is an error observation; its message is the status message, or
 * the recorded exception's. Unset and ok are both success: most instrumentations never set ok.
 */
export function statusOf(span: OtlpSpan): SpanStatus {
  if (span.status.code !== STATUS_CODE_ERROR) return { status: 'success' };
  const exception = span.events.find((event) => event.name === 'exception')?.attributes;
  const candidates = [span.status.message, exception?.['exception.message'], exception?.['exception.type']];
  const message = candidates.find(
    (candidate): candidate is string => typeof candidate === 'string' && candidate !== '',
  );
  return {
    status: 'error',
    level: 'ERROR',
    ...(message ? { statusMessage: message.slice(0, MAX_STATUS_MESSAGE_LENGTH) } : {}),
  };
}
