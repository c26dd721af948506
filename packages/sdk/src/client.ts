import { fitFieldLimits } from './field-limits.js';
import { createEnvelope, type IngestBody, type IngestEventType } from './ingest-event.js';
import { IngestPipeline } from './ingest-pipeline.js';
import { type ResolvedOptions, resolveOptions, type SwitchyardOptions } from './options.js';
import { recordScore, type ScoreOptions } from './score.js';
import { runSpan, type SpanHandle, type SpanOptions } from './span.js';
import { SwitchyardError } from './switchyard-error.js';
import { runTrace, type TraceHandle, type TraceOptions } from './trace.js';

const MASKED_FIELDS = ['input', 'output', 'metadata'] as const;

/**
 * A connection to one Switchyard server: records traces, spans, scores and wrapped LLM calls, and
 * sends them in the background. `init()` makes one and installs it for the module-level functions;
 * construct one yourself to pass it around explicitly.
 *
 * @example
 * const switchyard = new SwitchyardClient({ apiKey: process.env.SWITCHYARD_API_KEY, endpoint: 'https://switchyard.example.com' });
 * await switchyard.trace('nightly-eval', async () => runEval());
 * await switchyard.shutdown();
 */
export class SwitchyardClient {
  readonly #options: ResolvedOptions;
  readonly #pipeline: IngestPipeline | undefined;
  #closed = false;

  constructor(options: SwitchyardOptions = {}) {
    this.#options = resolveOptions(options);
    this.#pipeline = this.#options.enabled ? new IngestPipeline(this.#options) : undefined;
  }

  /** False when disabled by `enabled: false`, a missing API key, or `shutdown()`. */
  get enabled(): boolean {
    return this.#pipeline !== undefined && !this.#closed;
  }

  /** Events dropped because the queue was full (`maxQueueSize`). */
  get dropped(): number {
    return this.#pipeline?.dropped ?? 0;
  }

  /**
   * Runs `callback` as a trace; see the module-level `trace()`.
   *
   * @example
   * const answer = await switchyard.trace('answer-question', async (trace) => {
   *   const text = await answer(question);
   *   trace.update({ output: text });
   *   return text;
   * });
   */
  trace<TResult>(name: string, callback: (trace: TraceHandle) => TResult, options?: TraceOptions): TResult {
    return runTrace(this, name, callback, options);
  }

  /**
   * Runs `callback` as a span of the current trace; see the module-level `span()`.
   *
   * @example
   * const documents = await switchyard.span('search', () => index.search(query), { type: 'retrieval', input: query });
   */
  span<TResult>(name: string, callback: (span: SpanHandle) => TResult, options?: SpanOptions): TResult {
    return runSpan(this, name, callback, options);
  }

  /**
   * Records a score of a trace (default: the current one); see the module-level `score()`.
   *
   * @example
   * switchyard.score({ traceId, name: 'thumbs-up', value: 1 });
   */
  score(options: ScoreOptions): void {
    recordScore(this, options);
  }

  /**
   * Sends everything recorded so far. Resolves when it is delivered or given up on; never rejects.
   *
   * @example
   * await switchyard.flush();
   */
  flush(): Promise<void> {
    return this.#pipeline?.flush() ?? Promise.resolve();
  }

  /**
   * Flushes, stops the timers, and records nothing more.
   *
   * @example
   * process.on('SIGTERM', () => switchyard.shutdown().then(() => process.exit(0)));
   */
  async shutdown(): Promise<void> {
    this.#closed = true;
    await this.#pipeline?.shutdown();
  }

  /** @internal */
  record<TType extends IngestEventType>(type: TType, body: IngestBody<TType>): void {
    if (!this.enabled || !this.#pipeline) return;
    try {
      this.#pipeline.enqueue(createEnvelope(type, fitFieldLimits(this.#masked(body))));
    } catch (error) {
      this.report(new SwitchyardError({ kind: 'instrumentation', message: String(error), cause: error }));
    }
  }

  /** @internal */
  sampleTrace(): boolean {
    const rate = this.#options.sampleRate;
    return rate >= 1 || (rate > 0 && Math.random() < rate);
  }

  /** @internal */
  report(error: SwitchyardError): void {
    this.#options.report(error);
  }

  #masked<TBody extends object>(body: TBody): TBody {
    const mask = this.#options.mask;
    if (!mask) return body;
    const masked = { ...body } as Record<string, unknown>;
    for (const field of MASKED_FIELDS) {
      if (masked[field] === undefined) continue;
      try {
        masked[field] = mask(masked[field]);
      } catch (error) {
        // Better to lose the field than to send what the mask was meant to hide.
        masked[field] = undefined;
        this.report(new SwitchyardError({ kind: 'mask', message: `mask threw: ${String(error)}`, cause: error }));
      }
    }
    return masked as TBody;
  }
}
