import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { type Dispatcher, request } from 'undici';
import { ALLOW_PRIVATE_URLS_HINT, NonPublicAddressError } from '../../http/private-network.js';

/** How one delivery ended, after its retries. */
export type DeliveryOutcome = { delivered: true } | { delivered: false; error: string };

const ATTEMPT_TIMEOUT_MS = 5_000;
const RETRY_DELAYS_MS = [250, 1_000];
// Slack answers a failure with a one-word reason (`invalid_payload`, `no_service`), worth keeping. Nothing
// longer is kept: a webhook URL may point inside the network, and its answers are not for org admins to read.
const SHORT_REASON = /^[\w .:-]{1,100}$/;

/** Only the host is ever logged or stored: the path of a Slack or Discord webhook URL is its secret. */
export function webhookHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}

/**
 * POSTs JSON to a webhook: 5 s per attempt, up to 3 attempts, retrying network errors, timeouts,
 * 5xx and 429 after a short pause. Never throws.
 */
export class AlertWebhook {
  readonly #log: Pick<FastifyBaseLogger, 'warn'>;
  readonly #retryDelaysMs: readonly number[];
  readonly #shutdown = new AbortController();
  readonly #tenantDispatcher: Dispatcher | undefined;

  /** `tenantDispatcher` carries deliveries to URLs an org admin entered (a rule's own webhook). */
  constructor(options: {
    log: Pick<FastifyBaseLogger, 'warn'>;
    retryDelaysMs?: readonly number[];
    tenantDispatcher?: Dispatcher;
  }) {
    this.#log = options.log;
    this.#retryDelaysMs = options.retryDelaysMs ?? RETRY_DELAYS_MS;
    this.#tenantDispatcher = options.tenantDispatcher;
  }

  /** `fromTenant`: the URL is a rule's own, entered by an org admin, not the operator's ALERT_WEBHOOK_URL. */
  async deliver(options: {
    url: string;
    body: unknown;
    context?: Record<string, unknown>;
    fromTenant?: boolean;
  }): Promise<DeliveryOutcome> {
    const dispatcher = options.fromTenant ? this.#tenantDispatcher : undefined;
    const payload = JSON.stringify(options.body);
    const attempts = this.#retryDelaysMs.length + 1;
    let lastError = '';
    let made = 0;
    while (made < attempts && !this.#shutdown.signal.aborted) {
      if (made > 0)
        await sleep(this.#retryDelaysMs[made - 1] ?? 0, undefined, { signal: this.#shutdown.signal }).catch(() => {});
      if (this.#shutdown.signal.aborted) break;
      made += 1;
      const result = await this.#attempt(options.url, payload, dispatcher);
      if (result.delivered) return result;
      lastError = made > 1 ? `${result.error} (after ${made} attempts)` : result.error;
      if (!result.retryable) break;
    }
    if (this.#shutdown.signal.aborted) lastError = 'the server shut down before the webhook answered';
    this.#log.warn(
      { ...options.context, webhookHost: webhookHost(options.url), reason: lastError },
      'alert webhook delivery failed',
    );
    return { delivered: false, error: lastError };
  }

  /**
   * Gives up on deliveries in flight and their retries (each ends as not delivered): a dead webhook
   * must not hold shutdown past its deadline, while the records still to be written wait behind it.
   */
  abortAll(): void {
    this.#shutdown.abort();
  }

  async #attempt(
    url: string,
    payload: string,
    dispatcher: Dispatcher | undefined,
  ): Promise<DeliveryOutcome & { retryable?: boolean }> {
    try {
      const response = await request(url, {
        dispatcher,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'switchyard-alerts' },
        body: payload,
        signal: AbortSignal.any([AbortSignal.timeout(ATTEMPT_TIMEOUT_MS), this.#shutdown.signal]),
      });
      const text = await leadingText(response.body).catch(() => '');
      if (response.statusCode >= 200 && response.statusCode < 300) return { delivered: true };
      const reason = SHORT_REASON.test(text.trim()) ? text.trim() : '';
      return {
        delivered: false,
        error: `HTTP ${response.statusCode}${reason ? `: ${reason}` : ''}`,
        retryable: response.statusCode >= 500 || response.statusCode === 429,
      };
    } catch (error) {
      if (error instanceof NonPublicAddressError)
        return { delivered: false, error: `refused: a private or local address; ${ALLOW_PRIVATE_URLS_HINT}` };
      return { delivered: false, error: describeNetworkError(error), retryable: true };
    }
  }
}

/** The start of an answer's body: enough for a reason, never a large body held in memory. */
async function leadingText(body: AsyncIterable<Buffer>): Promise<string> {
  let text = '';
  // Leaving the loop early destroys the stream, which frees the connection.
  for await (const chunk of body) {
    text += chunk.toString('utf8');
    if (text.length > 1_000) break;
  }
  return text;
}

/** A network failure in words that never repeat the URL. */
function describeNetworkError(error: unknown): string {
  const { name, code } = (error ?? {}) as { name?: string; code?: string };
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${ATTEMPT_TIMEOUT_MS / 1000} s`;
  return `could not connect (${code ?? name ?? 'network error'})`;
}
