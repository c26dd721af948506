import type { OperatorOrg, OrgLimits } from '@switchyard/shared';
import { LIMIT_NAMES, type LimitName } from '../../lib/limits.js';

/** A limit follows the plan, is a number the operator chose, or is unlimited whatever the plan. */
export type OverrideMode = 'plan' | 'number' | 'unlimited';
export type OverrideDraft = { mode: OverrideMode; value: string };
export type OverrideDrafts = Record<LimitName, OverrideDraft>;

type OrgPlan = Pick<OperatorOrg, 'limitOverrides'>;

/** The operator's overrides, as the server keeps them (they stay through a change of plan). */
export function overridesOf(org: OrgPlan): Partial<OrgLimits> {
  return org.limitOverrides;
}

export function draftsOf(org: OrgPlan): OverrideDrafts {
  const overrides = overridesOf(org);
  const drafts = {} as OverrideDrafts;
  for (const name of LIMIT_NAMES) {
    const override = overrides[name];
    drafts[name] =
      override === undefined
        ? { mode: 'plan', value: '' }
        : override === null
          ? { mode: 'unlimited', value: '' }
          : { mode: 'number', value: String(override) };
  }
  return drafts;
}

/** `limitOverrides` for `PATCH /api/operator/orgs/:id`: it replaces them all, so every override is sent. */
export function overridesFromDrafts(drafts: OverrideDrafts): Partial<OrgLimits> {
  const overrides: Partial<OrgLimits> = {};
  for (const name of LIMIT_NAMES) {
    const draft = drafts[name];
    if (draft.mode === 'unlimited') overrides[name] = null;
    else if (draft.mode === 'number') overrides[name] = Number(draft.value);
  }
  return overrides;
}

export function sameOverrides(first: Partial<OrgLimits>, second: Partial<OrgLimits>): boolean {
  return LIMIT_NAMES.every((name) => first[name] === second[name]);
}
