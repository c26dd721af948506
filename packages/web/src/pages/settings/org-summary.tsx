import type { Org, Role } from '@switchyard/shared';
import { Fragment } from 'react';
import { formatLimit, LIMIT_LABELS, LIMIT_NAMES } from '../../lib/limits.js';
import { LOG_PAYLOADS_HELP } from './log-payloads-help.js';
import { PlanFact } from './plan-fact.js';

/** The org's settings for viewers and members, who may read but not change them. */
export function OrgSummary({ org, role }: { org: Org; role: Role }) {
  return (
    <section className="card stack" aria-labelledby="org-summary-title">
      <h2 id="org-summary-title">Organization</h2>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{org.name}</dd>
        <dt>Slug</dt>
        <dd className="mono">{org.slug}</dd>
        <PlanFact plan={org.plan} />
        <dt>Log payloads</dt>
        <dd>{org.logPayloads ? 'On' : 'Off'}</dd>
      </dl>
      <p className="muted small">{LOG_PAYLOADS_HELP}</p>
      <h3>Limits</h3>
      <dl className="facts">
        {LIMIT_NAMES.map((name) => (
          <Fragment key={name}>
            <dt>{LIMIT_LABELS[name]}</dt>
            <dd>
              {formatLimit(name, org.limits[name])}{' '}
              <span className="muted small">(plan allows {formatLimit(name, org.planLimits[name])})</span>
            </dd>
          </Fragment>
        ))}
      </dl>
      <p className="muted small">Your role is {role}: only admins and owners change these settings.</p>
    </section>
  );
}
