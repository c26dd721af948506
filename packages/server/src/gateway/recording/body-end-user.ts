import type { TraceContext } from './trace-headers.js';

const MAX_END_USER_LENGTH = 200;

/** The end user a request body names: OpenAI's `user`, or Anthropic's `metadata.user_id`. */
function endUserOfBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const { user, metadata } = body as { user?: unknown; metadata?: { user_id?: unknown } | null };
  const named = typeof user === 'string' ? user : metadata?.user_id;
  if (typeof named !== 'string') return undefined;
  const text = named.trim();
  // Too long to be an id: the call goes through, unattributed, rather than fail over a label.
  return text && text.length <= MAX_END_USER_LENGTH ? text : undefined;
}

/**
 * The call's trace context with its end user: the `x-switchyard-user-id` header, else the one the
 * body names, so an app that already sends OpenAI's `user` field sees its users without a header.
 */
export function withEndUserOfBody(trace: TraceContext, body: unknown): TraceContext {
  if (trace.userId) return trace;
  const userId = endUserOfBody(body);
  return userId ? { ...trace, userId } : trace;
}
