import { useOrg } from '../api/use-org.js';
import { useCan, useMe } from '../api/use-session.js';
import { QueryState } from '../components/data-state.js';
import { Link } from '../router.js';
import { OrgLimitsForm } from './settings/org-limits-form.js';
import { OrgSettingsForm } from './settings/org-settings-form.js';
import { OrgSummary } from './settings/org-summary.js';
import { OrganizationsSection } from './settings/organizations-section.js';
import { SuspensionNotice } from './settings/suspension-notice.js';

export default function SettingsPage() {
  const { data: me } = useMe();
  const canAdmin = useCan('admin');
  const org = useOrg();
  if (!me) return null;

  return (
    <>
      <div className="page-header">
        <h1>Settings</h1>
      </div>
      <div className="settings-grid">
        <QueryState query={org} label="Loading settings…">
          {(current) => (
            <>
              {current.suspended && <SuspensionNotice suspension={current.suspended} />}
              {canAdmin ? (
                // Keyed by org: switching orgs starts the forms from the new org's values.
                <>
                  <OrgSettingsForm key={current.id} org={current} />
                  <OrgLimitsForm key={`${current.id}-limits`} org={current} />
                </>
              ) : (
                <OrgSummary org={current} role={me.org.role} />
              )}
            </>
          )}
        </QueryState>
        <OrganizationsSection me={me} />
      </div>
      <p className="muted small">
        What this org used against its limits is under <Link to="/usage">Usage & limits</Link>; who may sign in is under{' '}
        <Link to="/members">Members</Link>.
      </p>
    </>
  );
}
