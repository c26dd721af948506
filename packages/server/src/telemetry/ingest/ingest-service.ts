import type { IngestEvent } from '@switchyard/shared';
import type { FastifyBaseLogger } from 'fastify';
import { Counter, type Registry } from 'prom-client';
import type { ApiKeyPrincipal } from '../../auth/index.js';
import { HttpError, serviceUnavailable, tooManyRequests } from '../../http/http-error.js';
import type { Kv } from '../../kv/kv.js';
import type { EventStatus, IngestSubmission } from './ingest-apply.js';
import type { IngestWriter } from './ingest-writer.js';

const MINUTE_MS = 60_000;

/**
 * What the ingest API and the OTLP endpoint share: the org's events-per-minute limit, the write
 * (answered once committed) and the `switchyard_ingest_events_total` counter.
 */
export class IngestService {
  readonly #writer: IngestWriter;
  readonly #kv: Kv;
  readonly #log: Pick<FastifyBaseLogger, 'warn'>;
  readonly #events: Counter<'source' | 'outcome'>;
  readonly #limiterErrors: Counter;

  constructor(options: { writer: IngestWriter; kv: Kv; log: Pick<FastifyBaseLogger, 'warn'>; registry: Registry }) {
    this.#writer = options.writer;
    this.#kv = options.kv;
    this.#log = options.log;
    this.#events = new Counter({
      name: 'switchyard_ingest_events_total',
      help: 'Telemetry events received, by source (ingest, otel) and outcome (applied, duplicate, rejected)',
      labelNames: ['source', 'outcome'],
      registers: [options.registry],
    });
    this.#limiterErrors = new Counter({
      name: 'switchyard_ingest_limiter_errors_total',
      help: 'Ingest limit checks skipped because the kv (Redis) did not answer: ingest failed open',
      registers: [options.registry],
    });
  }

  /**
   * Writes the events and resolves with each one's status once committed. Throws 429 over the
   * org's limit and 503 (retry-after) when the database did not take them: nothing was acknowledged.
   */
  async submit(options: {
    principal: ApiKeyPrincipal;
    source: IngestSubmission['source'];
    events: IngestEvent[];
    /** Events refused before this point (invalid), for the counter. */
    rejected: number;
  }): Promise<EventStatus[]> {
    const { principal, source, events } = options;
    if (options.rejected) this.#events.inc({ source, outcome: 'rejected' }, options.rejected);
    if (events.length === 0) return [];
    await this.#admit(principal, events.length);
    const payloads = principal.key.logPayloads ? events : events.map(withoutPayloads);
    let statuses: EventStatus[];
    try {
      statuses = await this.#writer.write({
        orgId: principal.orgId,
        apiKeyId: principal.key.id,
        source,
        events: payloads,
      });
    } catch {
      // The writer logged why; the client keeps the events and resends them.
      throw serviceUnavailable('The events could not be stored just now; nothing was kept. Retry the request.', 1_000);
    }
    const applied = statuses.filter((status) => status === 201).length;
    if (applied) this.#events.inc({ source, outcome: 'applied' }, applied);
    if (applied < statuses.length) this.#events.inc({ source, outcome: 'duplicate' }, statuses.length - applied);
    return statuses;
  }

  async #admit(principal: ApiKeyPrincipal, count: number): Promise<void> {
    const limit = principal.key.orgLimits.ingestEventsPerMinute;
    if (limit === null) return;
    const key = `ingest:org:${principal.orgId}`;
    try {
      const window = await this.#kv.incrementWindow(key, { windowMs: MINUTE_MS, cost: count });
      if (window.count <= limit) return;
      // Refused requests do not use up the minute.
      await this.#kv.incrementWindow(key, { windowMs: MINUTE_MS, cost: -count });
      throw tooManyRequests(
        `Rate limit reached: this org may send ${limit} telemetry events per minute (this request has ${count})`,
        window.resetMs,
        'ingest_events_per_minute_exceeded',
      );
    } catch (error) {
      if (error instanceof HttpError) throw error;
      this.#limiterErrors.inc();
      this.#log.warn({ err: error }, 'ingest limit unavailable; accepting the events without it');
    }
  }
}

/** For orgs that keep no prompts or completions (`logPayloads` off): the events without input and output. */
function withoutPayloads(event: IngestEvent): IngestEvent {
  if (event.type === 'score-create') return event;
  const { input: _input, output: _output, ...body } = event.body;
  return { ...event, body } as IngestEvent;
}
