import { type ModelPrice, maxOutputTokensOf } from '@switchyard/shared';
import { MOCK_PROVIDER } from '../providers/mock.js';
import type { ProviderResolver } from '../providers/org-providers.js';
import type { GatewayCall } from '../recording/call-recorder.js';
import type { RoutePlan } from '../routing/router.js';
import { type InputSize, inputSizeByBytes, inputSizeByTokenizer, inputTokensFor } from './input-token-bound.js';

/** The output cap of a priced model that neither the request, the provider nor the price table caps. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 32_768;

/** One model the call may be sent to, and the output cap its provider sends when the request has none. */
export type CostTarget = {
  model: string;
  sentMaxOutputTokens: number | undefined;
  /** Whether the call would spend the server's own provider keys (not the org's, not the local mock). */
  spendsServerKeys: boolean;
};

/** The most a call can cost: over every priced target, its input bound and output cap at list price. */
export type CostEstimate =
  /** No target has a price: the call is not counted against budgets (its cost is unknown, not zero). */
  | { priced: false; unpricedModels: string[]; unpricedServerModels: string[] }
  | {
      priced: true;
      costUsd: number;
      /** The part of `costUsd` that is input: what no max_tokens can lower. */
      inputCostUsd: number;
      /** The costliest target, whose numbers these are. */
      model: string;
      inputTokens: number;
      outputTokens: number;
      imageParts: number;
      /** Whether the input was counted by a tokenizer (else bounded by the body's bytes). */
      counted: boolean;
      unpricedModels: string[];
      /** Unpriced targets on the server's keys: a budget cannot be held for them, so they are refused. */
      unpricedServerModels: string[];
    };

export type CostEstimator = {
  /** The free bound, from the body's size: what every budgeted call holds first. */
  bound(): CostEstimate;
  /** A tighter bound with the input counted by a tokenizer: for when the free one does not fit. */
  counted(): Promise<CostEstimate>;
};

type RequestBody = { max_tokens?: unknown; max_completion_tokens?: unknown; n?: unknown };

const positive = (value: unknown) => (typeof value === 'number' && value > 0 ? value : undefined);

function outputTokensFor(options: { endpoint: GatewayCall['endpoint']; body: RequestBody; target: CostTarget }) {
  const { endpoint, body, target } = options;
  if (endpoint === 'embeddings') return 0;
  const requested =
    endpoint === 'messages' ? positive(body.max_tokens) : positive(body.max_completion_tokens ?? body.max_tokens);
  const cap = maxOutputTokensOf(target.model);
  const sent = requested ?? target.sentMaxOutputTokens ?? cap ?? DEFAULT_MAX_OUTPUT_TOKENS;
  // Each of `n` choices may run to the cap, and no answer runs past the model's own.
  const choices = endpoint === 'chat.completions' ? (positive(body.n) ?? 1) : 1;
  return Math.min(sent, cap ?? sent) * choices;
}

/** The worst case of a call before it runs, priced through `priceOf` (the prices in force for the org). */
export function createCostEstimator(options: {
  endpoint: GatewayCall['endpoint'];
  body: unknown;
  /** The body's size as received (content-length); measured from the parsed body when absent. */
  bodyBytes: number | undefined;
  targets: readonly CostTarget[];
  priceOf: (model: string) => ModelPrice | undefined;
}): CostEstimator {
  const body = (options.body ?? {}) as RequestBody;
  const bodyBytes = options.bodyBytes ?? Buffer.byteLength(JSON.stringify(options.body ?? {}));
  const priced = options.targets.flatMap((target) => {
    const price = options.priceOf(target.model);
    return price ? [{ target, price }] : [];
  });
  const unpriced = options.targets.filter((target) => !priced.some((entry) => entry.target === target));
  const unpricedModels = unpriced.map((target) => target.model);
  const unpricedServerModels = unpriced.filter((target) => target.spendsServerKeys).map((target) => target.model);

  const estimate = (size: InputSize): CostEstimate => {
    let worst: CostEstimate = { priced: false, unpricedModels, unpricedServerModels };
    for (const { target, price } of priced) {
      const inputTokens = inputTokensFor({ size, model: target.model });
      const outputTokens = outputTokensFor({ endpoint: options.endpoint, body, target });
      const inputCostUsd = (inputTokens * price.input) / 1_000_000;
      const costUsd = inputCostUsd + (outputTokens * price.output) / 1_000_000;
      if (worst.priced && costUsd <= worst.costUsd) continue;
      worst = {
        priced: true,
        costUsd,
        inputCostUsd,
        model: target.model,
        inputTokens,
        outputTokens,
        imageParts: size.imageParts,
        counted: size.counted,
        unpricedModels,
        unpricedServerModels,
      };
    }
    return worst;
  };

  return {
    bound: () => estimate(inputSizeByBytes({ body: options.body, bodyBytes })),
    counted: async () => estimate(await inputSizeByTokenizer({ body: options.body, bodyBytes })),
  };
}

/** The plan's targets with the output cap each one's provider sends when the request names none. */
export function costTargetsOf(options: { plan: RoutePlan; providers: ProviderResolver }): CostTarget[] {
  return options.plan.targets.map((target) => {
    try {
      const { provider } = options.providers.resolve(target.model);
      return {
        model: target.model,
        sentMaxOutputTokens: provider.defaultMaxOutputTokens,
        // The mock answers in-process: it spends no one's key.
        spendsServerKeys: !options.providers.ownsModel(target.model) && provider.name !== MOCK_PROVIDER,
      };
    } catch {
      // A target with no provider is never called: the route fails there, at no cost.
      return { model: target.model, sentMaxOutputTokens: undefined, spendsServerKeys: false };
    }
  });
}
