import { useCan, useMe } from '../api/session.js';
import { QueryState } from '../components/data-state.js';
import { Link } from '../router.js';
import { useOrg } from './settings/org-queries.js';
import { OrgSettingsForm } from './settings/org-settings-form.js';
import { OrgSummary } from './settings/org-summary.js';
import { OrganizationsSection } from './settings/organizations-section.js';

export default function SettingsPage() {
  const { data: me } = useMe();
  const canAdmin = useCan('admin');
  const canOwn = useCan('owner');
  const org = useOrg();
  if (!me) return null;

  return (
    <>
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      <div className="settings-grid">
        <QueryState query={org} label="Loading settings…">
          {(current) =>
            canAdmin ? (
              // Keyed by org: switching orgs starts the form from the new org's values.
              <OrgSettingsForm key={current.id} org={current} canChangePlan={canOwn} />
            ) : (
              <OrgSummary org={current} role={me.org.role} />
            )
          }
        </QueryState>
        <OrganizationsSection me={me} />
      </div>
      <p className="muted small">
        Rate limits and the spend cap are under <Link to="/usage">Usage & limits</Link>; who may sign in is under{' '}
        <Link to="/members">Members</Link>.
      </p>
    </>
  );
}
