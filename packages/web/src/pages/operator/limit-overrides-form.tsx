import { type OperatorOrg, PLAN_DEFAULT_LIMITS } from '@switchyard/shared';
import { type FormEvent, useId, useState } from 'react';
import { useUpdateOperatorOrg } from '../../api/use-operator-orgs.js';
import { ErrorText } from '../../components/data-state.js';
import { formatLimit, LIMIT_LABELS, LIMIT_NAMES, type LimitName, limitStep } from '../../lib/limits.js';
import {
  draftsOf,
  type OverrideDraft,
  type OverrideMode,
  overridesFromDrafts,
  overridesOf,
  sameOverrides,
} from './limit-overrides.js';

function OverrideField(props: {
  name: LimitName;
  planValue: number | null;
  draft: OverrideDraft;
  onChange: (draft: OverrideDraft) => void;
}) {
  const { name, draft, onChange } = props;
  return (
    <fieldset className="override-field">
      <legend>{LIMIT_LABELS[name]}</legend>
      <label>
        <span className="visually-hidden">Override</span>
        <select
          value={draft.mode}
          onChange={(event) => onChange({ ...draft, mode: event.target.value as OverrideMode })}
        >
          <option value="plan">Follows the plan ({formatLimit(name, props.planValue)})</option>
          <option value="number">A number</option>
          <option value="unlimited">Unlimited</option>
        </select>
      </label>
      {draft.mode === 'number' && (
        <label>
          <span className="visually-hidden">Value</span>
          <input
            type="number"
            required
            min={limitStep(name)}
            step={limitStep(name)}
            value={draft.value}
            onChange={(event) => onChange({ ...draft, value: event.target.value })}
          />
        </label>
      )}
    </fieldset>
  );
}

/**
 * The operator's limits for one org, above or below its plan. Saving replaces every override: a limit
 * left to follow the plan takes the plan's value, now and when the plan changes.
 */
export function LimitOverridesForm({ org }: { org: OperatorOrg }) {
  const [drafts, setDrafts] = useState(() => draftsOf(org));
  const update = useUpdateOperatorOrg();
  const titleId = useId();
  const wanted = overridesFromDrafts(drafts);
  const changed = !sameOverrides(wanted, overridesOf(org));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (changed) update.mutate({ id: org.id, patch: { limitOverrides: wanted } });
  };

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby={titleId}>
      <h3 id={titleId}>Limit overrides</h3>
      <p className="muted small">
        Each limit follows the {org.plan} plan, or is set here above or below it. The org's own lower limits still apply
        beneath.
      </p>
      <div className="override-fields">
        {LIMIT_NAMES.map((name) => (
          <OverrideField
            key={name}
            name={name}
            planValue={PLAN_DEFAULT_LIMITS[org.plan][name]}
            draft={drafts[name]}
            onChange={(draft) => {
              setDrafts({ ...drafts, [name]: draft });
              update.reset();
            }}
          />
        ))}
      </div>
      <ErrorText message={update.error?.message} />
      <div className="actions">
        <button type="submit" disabled={!changed || update.isPending}>
          {update.isPending ? 'Saving…' : 'Save overrides'}
        </button>
      </div>
    </form>
  );
}
