import { EventQueue } from './event-queue.js';
import { onBeforeExit } from './exit-hook.js';
import type { IngestEnvelope } from './ingest-event.js';
import { INGEST_LIMITS } from './ingest-limits.js';
import { type SenderOptions, sendBody } from './ingest-sender.js';
import { withoutPayloads } from './oversized-event.js';
import { toRequestBodies } from './request-bodies.js';
import { type SerializedEvent, serializeEvent } from './serialize-event.js';
import { type ErrorHandler, SwitchyardError } from './switchyard-error.js';

type QueuedEvent = { sequence: number; event: IngestEnvelope };

export type PipelineOptions = SenderOptions & {
  mode: 'batch' | 'immediate';
  flushAt: number;
  flushIntervalMs: number;
  maxQueueSize: number;
  report: ErrorHandler;
};

/**
 * Where recorded events wait to be sent: a bounded queue drained by one sender at a time, in
 * batches of `flushAt`, when the batch is full or `flushIntervalMs` after its first event (batch
 * mode), or at once (immediate mode). Recording only queues; all I/O happens off the caller's path.
 */
export class IngestPipeline {
  readonly #options: PipelineOptions;
  readonly #queue: EventQueue<QueuedEvent>;
  readonly #removeExitHook: () => void;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #draining: Promise<void> | undefined;
  // Whether the running drain empties the queue (a flush, the timer) or sends only full batches.
  #sendAll = false;
  #closed = false;
  #dropped = 0;
  #nextSequence = 0;
  // The oldest event being sent; with the queue's head, it says which events are not settled yet.
  #sendingFrom: number | undefined;

  constructor(options: PipelineOptions) {
    this.#options = options;
    this.#queue = new EventQueue(options.maxQueueSize);
    this.#removeExitHook = onBeforeExit(() => void this.flush());
  }

  /** Events dropped because the queue was full. */
  get dropped(): number {
    return this.#dropped;
  }

  enqueue(event: IngestEnvelope): void {
    if (this.#closed) return;
    const overflow = this.#queue.push({ sequence: this.#nextSequence++, event });
    if (overflow) {
      this.#dropped += 1;
      this.#options.report(
        new SwitchyardError({
          kind: 'queue-overflow',
          message: `the queue is full (maxQueueSize ${this.#options.maxQueueSize}); dropped the oldest event`,
          eventIds: [overflow.dropped.event.id],
        }),
      );
    }
    this.#afterEnqueue();
  }

  /** Resolves when every event queued before the call has been sent (or given up on). Never rejects. */
  async flush(): Promise<void> {
    const target = this.#nextSequence;
    while ((this.#sendingFrom ?? this.#queue.peek()?.sequence ?? target) < target) await this.#drain(true);
  }

  /** Sends what is queued, then records nothing more. */
  async shutdown(): Promise<void> {
    this.#closed = true;
    this.#removeExitHook();
    this.#clearTimer();
    await this.flush();
  }

  /** Also run when a drain ends, for events queued while it finished, which it did not see. */
  #afterEnqueue(): void {
    if (this.#options.mode === 'immediate') void this.#drain(true);
    else if (this.#queue.length >= this.#options.flushAt) void this.#drain(false);
    // A partial batch waits for the interval.
    else this.#schedule();
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#draining) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#drain(true);
    }, this.#options.flushIntervalMs);
    // A pending flush must not keep a finished script alive; beforeExit sends what is left.
    (this.#timer as { unref?: () => void }).unref?.();
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #drain(all: boolean): Promise<void> {
    if (all) this.#sendAll = true;
    // `.finally` runs on a later tick, so `#draining` is always set before it is cleared.
    this.#draining ??= this.#sendQueued().finally(() => {
      this.#draining = undefined;
      this.#sendAll = false;
      if (this.#queue.length > 0 && !this.#closed) this.#afterEnqueue();
    });
    return this.#draining;
  }

  async #sendQueued(): Promise<void> {
    while (this.#queue.length >= this.#options.flushAt || (this.#sendAll && this.#queue.length > 0)) {
      if (this.#sendAll) this.#clearTimer();
      const batch = this.#queue.take(this.#options.flushAt);
      this.#sendingFrom = batch[0]?.sequence;
      try {
        await this.#send(batch.map((queued) => queued.event));
      } catch (error) {
        this.#options.report(new SwitchyardError({ kind: 'delivery', message: String(error), cause: error }));
      } finally {
        this.#sendingFrom = undefined;
      }
    }
  }

  async #send(events: IngestEnvelope[]): Promise<void> {
    const serialized: SerializedEvent[] = [];
    for (const event of events) {
      const json = this.#serialize(event);
      if (json) serialized.push(json);
    }
    const { bodies, oversized } = toRequestBodies(serialized);
    for (const event of oversized) {
      this.#options.report(
        new SwitchyardError({
          kind: 'event-too-large',
          message: `event ${event.id} is ${event.bytes} bytes even without its payloads, over the server's limit; dropped`,
          eventIds: [event.id],
        }),
      );
    }
    for (const body of bodies) await sendBody(body, this.#options);
  }

  #serialize(event: IngestEnvelope): SerializedEvent | undefined {
    const json = serializeEvent(event);
    if (!json) {
      this.#options.report(
        new SwitchyardError({
          kind: 'serialize',
          message: `event ${event.id} is not serializable`,
          eventIds: [event.id],
        }),
      );
      return undefined;
    }
    if (json.bytes <= INGEST_LIMITS.eventBytes) return json;
    this.#options.report(
      new SwitchyardError({
        kind: 'event-too-large',
        message: `event ${event.id} is ${json.bytes} bytes, over the server's limit; sent without its input, output and metadata`,
        eventIds: [event.id],
      }),
    );
    return serializeEvent(withoutPayloads(event, json.bytes));
  }
}
