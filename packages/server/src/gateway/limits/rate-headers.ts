import type { RateState } from '../../kv/gcra.js';

/** A duration as OpenAI writes its reset headers: `20ms`, `1.5s`, `6m0s`. */
export function resetDuration(ms: number): string {
  if (ms <= 0) return '0s';
  if (ms < 1_000) return `${Math.ceil(ms)}ms`;
  const totalSeconds = Math.ceil(ms) / 1_000;
  if (totalSeconds < 60) return `${Number(totalSeconds.toFixed(3))}s`;
  const minutes = Math.floor(totalSeconds / 60);
  return `${minutes}m${Number((totalSeconds - minutes * 60).toFixed(3))}s`;
}

/** The `x-ratelimit-*-<unit>` headers for the limit with the least headroom, as OpenAI reports the one that binds first. */
export function rateHeaders(options: {
  unit: 'requests' | 'tokens';
  states: readonly RateState[];
}): Record<string, string> {
  const tightest = [...options.states].sort((a, b) => a.remaining - b.remaining || b.resetMs - a.resetMs)[0];
  if (!tightest) return {};
  return {
    [`x-ratelimit-limit-${options.unit}`]: String(tightest.limit),
    [`x-ratelimit-remaining-${options.unit}`]: String(tightest.remaining),
    [`x-ratelimit-reset-${options.unit}`]: resetDuration(tightest.resetMs),
  };
}
