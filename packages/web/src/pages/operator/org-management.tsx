import type { OperatorOrg } from '@switchyard/shared';
import { LimitOverridesForm } from './limit-overrides-form.js';
import { OrgPlanForm } from './org-plan-form.js';
import { OrgServerProviders } from './org-server-providers.js';
import { OrgSuspension } from './org-suspension.js';

/** The operator's decisions about one org: its plan, its limits above or below the plan, the server's keys, its suspension. */
export function OrgManagement({ org }: { org: OperatorOrg }) {
  return (
    <section className="operator-manage" aria-label={`Manage ${org.name}`}>
      <OrgPlanForm key={org.plan} org={org} />
      {/* Keyed by the server's answer: a saved plan or override starts the form from what now applies. */}
      <LimitOverridesForm key={`${org.plan}:${JSON.stringify(org.planLimits)}`} org={org} />
      <OrgServerProviders org={org} />
      <OrgSuspension org={org} />
    </section>
  );
}
