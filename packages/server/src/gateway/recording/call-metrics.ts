import type { Usage } from '@switchyard/shared';
import { Counter, Histogram, type Registry } from 'prom-client';
import { metricLabels } from './metric-labels.js';

export type CallOutcome = {
  /** The real names: `metricLabels` bounds them before they become labels. */
  provider: string;
  model: string;
  status: 'success' | 'error';
  usage: Usage;
  costUsd: number | null;
  latencyMs: number;
  /** Streams only: time until the first chunk with content. */
  ttftMs?: number;
};

/** The gateway's Prometheus series: calls, tokens, cost and upstream latency per provider and model label. */
export class CallMetrics {
  readonly #requests: Counter<'provider' | 'model' | 'status'>;
  readonly #tokens: Counter<'provider' | 'model' | 'type'>;
  readonly #cost: Counter<'provider' | 'model'>;
  readonly #latency: Histogram<'provider' | 'model'>;
  readonly #timeToFirstToken: Histogram<'provider' | 'model'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.#requests = new Counter({
      name: 'switchyard_llm_requests_total',
      help: 'Gateway calls by provider, model and outcome',
      labelNames: ['provider', 'model', 'status'],
      registers,
    });
    this.#tokens = new Counter({
      name: 'switchyard_llm_tokens_total',
      help: 'Tokens by provider, model and type (input, output, cached_input)',
      labelNames: ['provider', 'model', 'type'],
      registers,
    });
    this.#cost = new Counter({
      name: 'switchyard_llm_cost_usd_total',
      help: 'Cost of gateway calls in USD, from the price table',
      labelNames: ['provider', 'model'],
      registers,
    });
    this.#latency = new Histogram({
      name: 'switchyard_llm_upstream_latency_seconds',
      help: 'Time from sending a call upstream to its last byte',
      labelNames: ['provider', 'model'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.#timeToFirstToken = new Histogram({
      name: 'switchyard_llm_time_to_first_token_seconds',
      help: 'Streamed calls: time from the request to the first chunk with content',
      labelNames: ['provider', 'model'],
      buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }

  observe(call: CallOutcome): void {
    const labels = metricLabels(call);
    this.#requests.inc({ ...labels, status: call.status });
    this.#tokens.inc({ ...labels, type: 'input' }, call.usage.inputTokens);
    this.#tokens.inc({ ...labels, type: 'output' }, call.usage.outputTokens);
    this.#tokens.inc({ ...labels, type: 'cached_input' }, call.usage.cachedInputTokens);
    if (call.costUsd) this.#cost.inc(labels, call.costUsd);
    this.#latency.observe(labels, call.latencyMs / 1000);
    if (call.ttftMs !== undefined) this.#timeToFirstToken.observe(labels, call.ttftMs / 1000);
  }
}
