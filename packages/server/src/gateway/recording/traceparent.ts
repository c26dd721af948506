import type { IncomingHttpHeaders } from 'node:http';

/** The caller's span as a W3C `traceparent` names it: the trace to join, and the span to be a child of. */
export type ParentSpan = { traceId: string; spanId: string };

// version "-" trace-id "-" parent-id "-" trace-flags, lowercase hex; a later version may append fields.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ALL_ZEROS = /^0+$/;

/**
 * The span a `traceparent` header names, or undefined when there is none or it is malformed: the
 * W3C Trace Context spec has a receiver ignore a header it cannot parse (and start a new trace), never
 * refuse the request, since instrumentation the caller did not write sets it.
 */
export function readTraceparent(headers: IncomingHttpHeaders): ParentSpan | undefined {
  const value = headers.traceparent;
  // Two traceparent headers are invalid; Node joins repeated unknown headers with ", " anyway.
  if (typeof value !== 'string') return undefined;
  const match = TRACEPARENT.exec(value.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, , rest] = match;
  if (!version || !traceId || !spanId) return undefined;
  // Version ff is forbidden; version 00 has exactly four fields. A higher version is read as 00.
  if (version === 'ff' || (version === '00' && rest !== undefined)) return undefined;
  if (ALL_ZEROS.test(traceId) || ALL_ZEROS.test(spanId)) return undefined;
  return { traceId, spanId };
}
