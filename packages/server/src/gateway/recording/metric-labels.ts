import { findBuiltInPrice } from '@switchyard/shared';
import { SERVER_PROVIDER_NAMES } from '../providers/provider-registry.js';

/** The label value of every provider and model outside the bounded sets. */
export const OTHER_LABEL = 'other';

export type MetricLabels = { provider: string; model: string };

/**
 * The Prometheus labels of a call. `/metrics` is one page for every org, and each new label value is
 * a new series, so only names the server itself knows become labels: a provider this server knows
 * (an org's own provider named `openai` counts as `openai`; `alpha-llm` as `other`), and a model
 * family of the built-in price table (never an org's price override), else `other`.
 * The call's record keeps the real names.
 */
export function metricLabels(call: { provider: string; model: string }): MetricLabels {
  return {
    provider: SERVER_PROVIDER_NAMES.includes(call.provider) ? call.provider : OTHER_LABEL,
    model: findBuiltInPrice(call.model)?.model ?? OTHER_LABEL,
  };
}
