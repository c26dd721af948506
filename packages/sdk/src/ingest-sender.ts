import type { FetchLike } from './options.js';
import { type RequestBody, toRequestBody } from './request-bodies.js';
import { isRetryableStatus, retryDelayMs } from './retry-delay.js';
import type { SerializedEvent } from './serialize-event.js';
import { type ErrorHandler, messageOf, SwitchyardError } from './switchyard-error.js';

export type SenderOptions = {
  ingestUrl: string;
  apiKey: string;
  fetch: FetchLike;
  maxRetries: number;
  retryDelayMs: number;
  requestTimeoutMs: number;
  report: ErrorHandler;
};

type Attempt =
  | { kind: 'done' }
  | { kind: 'split' }
  | { kind: 'retry'; events: SerializedEvent[]; reason: string; retryAfter?: string | null };

/**
 * Delivers one request body. Network errors, 5xx and 429 are retried with backoff, resending only
 * the events not yet acknowledged; the envelope ids make a resend harmless. Events the server
 * refuses (4xx) are reported and dropped. Never throws.
 */
export async function sendBody(body: RequestBody, options: SenderOptions): Promise<void> {
  let pending = body;
  for (let attempt = 0; ; attempt += 1) {
    const outcome = await postOnce(pending, options);
    if (outcome.kind === 'done') return;
    if (outcome.kind === 'split') {
      // The server's body limit is below ours: halve until it fits.
      const middle = Math.ceil(pending.events.length / 2);
      await sendBody(toRequestBody(pending.events.slice(0, middle)), options);
      await sendBody(toRequestBody(pending.events.slice(middle)), options);
      return;
    }
    if (attempt >= options.maxRetries) {
      options.report(
        new SwitchyardError({
          kind: 'delivery',
          message: `could not deliver ${outcome.events.length} events to ${options.ingestUrl} after ${attempt + 1} attempts: ${outcome.reason}`,
          eventIds: outcome.events.map((event) => event.id),
        }),
      );
      return;
    }
    if (outcome.events !== pending.events) pending = toRequestBody(outcome.events);
    const delay = retryDelayMs({ attempt, baseDelayMs: options.retryDelayMs, retryAfter: outcome.retryAfter });
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function postOnce(body: RequestBody, options: SenderOptions): Promise<Attempt> {
  let status: number;
  let retryAfter: string | null;
  let text: string;
  try {
    const response = await options.fetch(options.ingestUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
      body: body.json,
      signal: globalThis.AbortSignal?.timeout?.(options.requestTimeoutMs),
    });
    status = response.status;
    retryAfter = response.headers.get('retry-after');
    text = await response.text();
  } catch (error) {
    return { kind: 'retry', events: body.events, reason: `network error: ${messageOf(error)}` };
  }
  if (status >= 200 && status < 300) return settleEvents(body, text, options.report);
  if (status === 413 && body.events.length > 1) return { kind: 'split' };
  if (isRetryableStatus(status)) return { kind: 'retry', events: body.events, reason: `HTTP ${status}`, retryAfter };
  options.report(
    new SwitchyardError({
      kind: 'rejected',
      status,
      message: `the server refused ${body.events.length} events with HTTP ${status}: ${errorMessageOf(text)}`,
      eventIds: body.events.map((event) => event.id),
    }),
  );
  return { kind: 'done' };
}

/** A 207 lists what failed: 4xx events are reported and dropped, 5xx ones are tried again. */
function settleEvents(body: RequestBody, text: string, report: ErrorHandler): Attempt {
  const parsed = safeParseIngestResponse(text);
  if (!parsed.success) return { kind: 'done' };
  const byId = new Map(body.events.map((event) => [event.id, event]));
  const retry: SerializedEvent[] = [];
  const rejected: IngestAnswer['errors'] = [];
  for (const error of parsed.value.errors) {
    const event = byId.get(error.id);
    if (!event) continue;
    if (isRetryableStatus(error.status)) retry.push(event);
    else rejected.push(error);
  }
  const [first] = rejected;
  if (first) {
    report(
      new SwitchyardError({
        kind: 'rejected',
        status: first.status,
        message: `the server rejected ${rejected.length} of ${body.events.length} events, e.g. ${first.id}: ${first.message}`,
        eventIds: rejected.map((error) => error.id),
      }),
    );
  }
  if (retry.length === 0) return { kind: 'done' };
  return { kind: 'retry', events: retry, reason: `the server could not store ${retry.length} events` };
}

type IngestAnswer = { errors: Array<{ id: string; status: number; message: string }> };

/** The 207 body, read defensively: anything unexpected counts as "nothing failed". */
function safeParseIngestResponse(
  text: string,
): { success: true; value: IngestAnswer } | { success: false; error: Error } {
  try {
    const value = JSON.parse(text) as { errors?: unknown };
    const errors = Array.isArray(value?.errors) ? value.errors : [];
    return {
      success: true,
      value: {
        errors: errors
          .filter((error): error is Record<string, unknown> => typeof error === 'object' && error !== null)
          .map((error) => ({
            id: String(error.id),
            status: Number(error.status),
            message: String(error.message ?? ''),
          })),
      },
    };
  } catch (error) {
    return { success: false, error: error instanceof Error ? error : new Error(String(error)) };
  }
}

function errorMessageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown }; message?: unknown };
    const message = body?.error?.message ?? body?.message;
    if (typeof message === 'string') return message;
  } catch {
    // Not JSON: the text itself is the best message there is.
  }
  return text.slice(0, 200) || 'no message';
}
