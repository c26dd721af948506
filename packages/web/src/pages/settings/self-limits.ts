import type { OrgLimits } from '@switchyard/shared';
import { LIMIT_NAMES, type LimitName } from '../../lib/limits.js';

/** Each limit's field as typed: the org's own limit, or empty where the org follows its plan. */
export type SelfLimitDrafts = Record<LimitName, string>;

/** `PATCH /api/org`'s `limits`: a number sets the org's own limit, null takes it away. */
export type SelfLimitChanges = Partial<Record<LimitName, number | null>>;

export function draftsOf(selfLimits: Partial<OrgLimits>): SelfLimitDrafts {
  const drafts = {} as SelfLimitDrafts;
  for (const name of LIMIT_NAMES) {
    const own = selfLimits[name];
    drafts[name] = own === null || own === undefined ? '' : String(own);
  }
  return drafts;
}

/** Only what differs from the org's own limits now, so an untouched limit is not sent. */
export function changesOf(selfLimits: Partial<OrgLimits>, drafts: SelfLimitDrafts): SelfLimitChanges {
  const changes: SelfLimitChanges = {};
  for (const name of LIMIT_NAMES) {
    const typed = drafts[name].trim();
    const own = selfLimits[name] ?? null;
    const wanted = typed === '' ? null : Number(typed);
    if (wanted !== own) changes[name] = wanted;
  }
  return changes;
}
