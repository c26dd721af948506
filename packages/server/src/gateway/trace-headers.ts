import type { IncomingHttpHeaders } from 'node:http';
import { badRequest } from '../http/http-error.js';

export type TraceContext = { traceId?: string; sessionId?: string; userId?: string; tags: string[] };

const MAX_ID_LENGTH = 200;
const MAX_TAGS = 20;
const MAX_TAG_LENGTH = 64;

function single(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  const text = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!text) return undefined;
  if (text.length > MAX_ID_LENGTH) throw badRequest(`${name}: must be at most ${MAX_ID_LENGTH} characters`, name);
  return text;
}

/** The optional `x-switchyard-*` headers that place a gateway call in a trace, session and user. */
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
  return {
    traceId: single(headers, 'x-switchyard-trace-id'),
    sessionId: single(headers, 'x-switchyard-session-id'),
    userId: single(headers, 'x-switchyard-user-id'),
    tags: [...new Set(tags)],
  };
}
