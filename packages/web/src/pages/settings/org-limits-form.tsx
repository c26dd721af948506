import type { Org } from '@switchyard/shared';
import { type FormEvent, useState } from 'react';
import { useUpdateOrgLimits } from '../../api/use-org.js';
import { formatLimit, LIMIT_LABELS, LIMIT_NAMES, type LimitName, limitStep } from '../../lib/limits.js';
import { SaveFooter } from './save-footer.js';
import { changesOf, draftsOf } from './self-limits.js';

/**
 * The org's own limits, for admins: each at most what the plan allows (the server says so when one
 * is higher), or empty to follow the plan. Raising the plan's limits is the server operator's.
 */
export function OrgLimitsForm({ org }: { org: Org }) {
  const [drafts, setDrafts] = useState(() => draftsOf(org.selfLimits));
  const save = useUpdateOrgLimits((updated) => setDrafts(draftsOf(updated.selfLimits)));
  const changes = changesOf(org.selfLimits, drafts);
  const dirty = Object.keys(changes).length > 0;

  const edit = (name: LimitName, value: string) => {
    setDrafts({ ...drafts, [name]: value });
    save.reset();
  };
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (dirty) save.mutate(changes);
  };

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="org-limits-title">
      <h2 id="org-limits-title">Limits</h2>
      <p className="muted small">
        Your plan ({org.plan}) sets the most this org may use. Set a lower limit of your own here, or leave a field
        empty to follow the plan. Only the server's operator can raise a limit above the plan's.
      </p>
      <div className="limit-fields">
        {LIMIT_NAMES.map((name) => {
          const helpId = `self-limit-${name}-help`;
          return (
            <div key={name}>
              <label>
                {LIMIT_LABELS[name]}
                <input
                  name={name}
                  type="number"
                  min={limitStep(name)}
                  step={limitStep(name)}
                  inputMode={name === 'monthlySpendCapUsd' ? 'decimal' : 'numeric'}
                  placeholder={`plan's: ${formatLimit(name, org.planLimits[name])}`}
                  value={drafts[name]}
                  onChange={(event) => edit(name, event.target.value)}
                  aria-describedby={helpId}
                />
              </label>
              <p id={helpId} className="muted small limit-help">
                Plan allows {formatLimit(name, org.planLimits[name])} · in force {formatLimit(name, org.limits[name])}
              </p>
            </div>
          );
        })}
      </div>
      <SaveFooter save={save} dirty={dirty} submitLabel="Save limits" />
    </form>
  );
}
