import type { Org, Role } from '@switchyard/shared';
import { LOG_PAYLOADS_HELP } from './org-queries.js';

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
        <dt>Plan</dt>
        <dd>{org.plan}</dd>
        <dt>Log payloads</dt>
        <dd>{org.logPayloads ? 'On' : 'Off'}</dd>
      </dl>
      <p className="muted small">{LOG_PAYLOADS_HELP}</p>
      <p className="muted small">Your role is {role}: only admins and owners change these settings.</p>
    </section>
  );
}
