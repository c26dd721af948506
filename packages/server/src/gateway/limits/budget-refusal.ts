import { formatUsd } from '@switchyard/shared';
import { HttpError } from '../../http/http-error.js';
import type { CostEstimate } from './cost-estimate.js';

const count = (value: number) => value.toLocaleString('en-US');
// Two significant digits and at least cents, so that $0.045 left does not read as $0.05.
const usd = (value: number) =>
  value <= 0 || value >= 1
    ? `$${Math.max(0, value).toFixed(2)}`
    : `$${value.toFixed(Math.max(2, 1 - Math.floor(Math.log10(value))))}`;

/**
 * The 402 for a call that does not fit a budget. It says what the call would hold and why, what is
 * left, and what the client can change, so that a refusal with money left is not a mystery.
 */
export function budgetRefusal(options: {
  /** e.g. `API key "ci" daily budget`, `the org's monthly spend cap`. */
  budgetName: string;
  limitUsd: number;
  spentUsd: number;
  heldUsd: number;
  resetsAt: Date;
  estimate: CostEstimate;
}): HttpError {
  const { budgetName, limitUsd, spentUsd, heldUsd, estimate } = options;
  const resets = `it resets at ${options.resetsAt.toISOString()}`;
  const refuse = (message: string) =>
    new HttpError(402, { code: 'budget_exceeded', type: 'insufficient_quota', message });
  if (spentUsd >= limitUsd || !estimate.priced) {
    return refuse(
      `Spend limit reached: ${budgetName} is ${formatUsd(limitUsd)} and ${formatUsd(spentUsd)} is spent; ${resets}`,
    );
  }
  const leftUsd = Math.max(0, limitUsd - spentUsd - heldUsd);
  const input = `${count(estimate.inputTokens)} input tokens${estimate.counted ? ' as counted' : ' at most'}${
    estimate.imageParts ? ` with ${estimate.imageParts} image${estimate.imageParts === 1 ? '' : 's'}` : ''
  }`;
  const output = estimate.outputTokens ? `, up to ${count(estimate.outputTokens)} output tokens` : '';
  const change = estimate.inputCostUsd > leftUsd ? 'send a shorter request' : 'send a smaller max_tokens';
  const advice = heldUsd > 0 ? `${change}, or wait for calls in flight to finish` : change;
  return refuse(
    `Spend limit reached: this call could cost up to ${usd(estimate.costUsd)} (${input}${output} on ${estimate.model}); ` +
      `${usd(leftUsd)} of ${budgetName} ${formatUsd(limitUsd)} is left (${usd(spentUsd)} spent, ` +
      `${usd(heldUsd)} held by calls in flight); ${advice}; ${resets}`,
  );
}

/**
 * The 402 for a call under a budget to a model with no price on the server's own provider keys: its
 * cost could not be held or counted, so a budget would not hold. The operator prices it.
 */
export function unpricedRefusal(options: { model: string; budgetName: string }): HttpError {
  return new HttpError(402, {
    code: 'model_unpriced',
    type: 'insufficient_quota',
    param: 'model',
    message:
      `${options.model} has no price on this server, so its cost cannot be counted against ${options.budgetName}; ` +
      "the server's operator can set one (PUT /api/operator/prices), or use a model with a price",
  });
}
