import type { IncomingHttpHeaders } from 'node:http';
import { badRequest } from '../../http/http-error.js';
import { readTraceparent } from './traceparent.js';

export type TraceContext = {
  traceId?: string;
  /** The caller's span (from `traceparent`) that this call's record is a child of. */
  parentSpanId?: string;
  sessionId?: string;
  userId?: string;
  tags: string[];
};

const MAX_ID_LENGTH = 200;
const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 64;

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Node hands header values over byte for byte as latin1. curl and most HTTP libraries send
 * non-ASCII as UTF-8 bytes (`café` arrives as `cafÃ©`), while fetch sends characters up to U+00FF
 * as one latin1 byte each: read the bytes as UTF-8 where they are UTF-8, as latin1 where not.
 */
export function decodeHeaderText(raw: string): string {
  if (!/[\u0080-\uffff]/.test(raw)) return raw;
  try {
    return UTF8.decode(Buffer.from(raw, 'latin1'));
  } catch {
    return raw;
  }
}

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const raw = Array.isArray(value) ? value[0] : value;
  const text = raw === undefined ? undefined : decodeHeaderText(raw).trim();
  if (!text) return undefined;
  if (text.length > MAX_ID_LENGTH) throw badRequest(`${name}: must be at most ${MAX_ID_LENGTH} characters`, name);
  return text;
}

/**
 * The optional headers that place a gateway call in a trace, session and user: `x-switchyard-*`,
 * and W3C `traceparent`, which makes the call a child of the caller's span in the caller's trace.
 * An explicit `x-switchyard-trace-id` wins; the traceparent's span is then the parent only when it
 * names the same trace.
 */
export function readTraceHeaders(headers: IncomingHttpHeaders): TraceContext {
  const tags = (single(headers, 'x-switchyard-tags') ?? '')
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
  if (tags.length > MAX_TAGS || tags.some((tag) => tag.length > MAX_TAG_LENGTH)) {
    throw badRequest(
      `x-switchyard-tags: at most ${MAX_TAGS} comma-separated tags of ${MAX_TAG_LENGTH} characters`,
      'x-switchyard-tags',
    );
  }
  const traceId = single(headers, 'x-switchyard-trace-id');
  const parent = readTraceparent(headers);
  const joined = parent && (traceId === undefined || traceId === parent.traceId) ? parent : undefined;
  return {
    traceId: traceId ?? joined?.traceId,
    ...(joined ? { parentSpanId: joined.spanId } : {}),
    sessionId: single(headers, 'x-switchyard-session-id'),
    userId: single(headers, 'x-switchyard-user-id'),
    tags: [...new Set(tags)],
  };
}
