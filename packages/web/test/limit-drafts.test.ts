import { PLAN_DEFAULT_LIMITS } from '@switchyard/shared';
import { describe, expect, it } from 'vitest';
import { draftsOf, overridesFromDrafts, overridesOf, sameOverrides } from '../src/pages/operator/limit-overrides.js';
import { changesOf, draftsOf as selfDraftsOf } from '../src/pages/settings/self-limits.js';

describe("the operator's limit overrides form", () => {
  // An override equal to the plan's own value is kept: it stays if the plan changes.
  const pro = {
    limitOverrides: {
      requestsPerMinute: 5_000,
      tokensPerMinute: null,
      monthlySpendCapUsd: PLAN_DEFAULT_LIMITS.pro.monthlySpendCapUsd,
    },
  };

  it('reads the overrides the server keeps, and sends them back whole', () => {
    expect(overridesOf(pro)).toEqual(pro.limitOverrides);
    const drafts = draftsOf(pro);
    expect(drafts.requestsPerMinute).toEqual({ mode: 'number', value: '5000' });
    expect(drafts.tokensPerMinute).toEqual({ mode: 'unlimited', value: '' });
    expect(drafts.monthlySpendCapUsd).toEqual({ mode: 'number', value: '1000' });
    expect(drafts.maxConcurrentRequests).toEqual({ mode: 'plan', value: '' });
    expect(sameOverrides(overridesFromDrafts(drafts), overridesOf(pro))).toBe(true);
  });

  it('leaves out a limit set back to follow the plan', () => {
    const drafts = draftsOf(pro);
    drafts.requestsPerMinute = { mode: 'plan', value: '' };
    expect(overridesFromDrafts(drafts)).toEqual({ tokensPerMinute: null, monthlySpendCapUsd: 1_000 });
  });
});

describe("the org's own limits form", () => {
  it('sends only what changed: a number to set one, null to follow the plan again', () => {
    const selfLimits = { requestsPerMinute: 30, tokensPerMinute: 50_000 };
    const drafts = selfDraftsOf(selfLimits);
    expect(changesOf(selfLimits, drafts)).toEqual({});
    drafts.requestsPerMinute = '';
    drafts.monthlySpendCapUsd = '4.5';
    expect(changesOf(selfLimits, drafts)).toEqual({ requestsPerMinute: null, monthlySpendCapUsd: 4.5 });
  });
});
