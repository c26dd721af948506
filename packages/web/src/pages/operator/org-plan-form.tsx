import { type OperatorOrg, PLANS, type Plan } from '@switchyard/shared';
import { type FormEvent, Fragment, useId, useState } from 'react';
import { useUpdateOperatorOrg } from '../../api/use-operator-orgs.js';
import { ErrorText } from '../../components/data-state.js';
import { formatLimit, LIMIT_LABELS, LIMIT_NAMES } from '../../lib/limits.js';

/** The org's plan, and the limits in force that follow from it, its overrides and the org's own. */
export function OrgPlanForm({ org }: { org: OperatorOrg }) {
  const [plan, setPlan] = useState<Plan>(org.plan);
  const update = useUpdateOperatorOrg();
  const titleId = useId();
  const changed = plan !== org.plan;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (changed) update.mutate({ id: org.id, patch: { plan } });
  };

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby={titleId}>
      <h3 id={titleId}>Plan</h3>
      <div className="row">
        <label>
          Plan
          <select
            name="plan"
            value={plan}
            onChange={(event) => {
              setPlan(event.target.value as Plan);
              update.reset();
            }}
          >
            {PLANS.map((choice) => (
              <option key={choice} value={choice}>
                {choice}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={!changed || update.isPending}>
          {update.isPending ? 'Saving…' : 'Save plan'}
        </button>
      </div>
      <p className="muted small">
        Overrides stay when the plan changes; limits that follow the plan take the new one's.
      </p>
      <ErrorText message={update.error?.message} />
      <h4>Limits in force</h4>
      <dl className="facts" data-testid="limits-in-force">
        {LIMIT_NAMES.map((name) => {
          const own = org.selfLimits[name];
          return (
            <Fragment key={name}>
              <dt>{LIMIT_LABELS[name]}</dt>
              <dd>
                {formatLimit(name, org.limits[name])}
                {own !== undefined && own !== null && (
                  <span className="muted small">
                    {' '}
                    (the org's own; at most {formatLimit(name, org.planLimits[name])})
                  </span>
                )}
              </dd>
            </Fragment>
          );
        })}
      </dl>
    </form>
  );
}
