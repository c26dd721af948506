import type { OperatorOrg } from '@switchyard/shared';
import { useId, useState } from 'react';
import { UsageMeter } from '../../components/usage-meter.js';
import { formatCount, formatUsd } from '../../lib/format.js';
import { OrgManagement } from './org-management.js';

const COLUMNS = 9;

/** What the org spent through the gateway this month, against the cap in force. */
function GatewaySpend({ org }: { org: OperatorOrg }) {
  const spent = org.usageThisMonth.gatewaySpendUsd;
  const cap = org.limits.monthlySpendCapUsd;
  const reported = org.usageThisMonth.reportedSpendUsd;
  return (
    <div className="headroom">
      <span>
        {formatUsd(spent)} <span className="muted">{cap === null ? '· no cap' : `of ${formatUsd(cap)}`}</span>
      </span>
      {cap !== null && (
        <UsageMeter label={`${org.name} spend this month`} used={spent} limit={cap} format={formatUsd} />
      )}
      {reported > 0 && (
        <span className="muted small" title="Reported by the org's own telemetry; not counted against its cap">
          {formatUsd(reported)} reported
        </span>
      )}
    </div>
  );
}

function OrgState({ suspended }: { suspended: OperatorOrg['suspended'] }) {
  if (!suspended) return <span className="badge success">active</span>;
  return (
    <div className="operator-org-state">
      <span className="badge error">suspended</span>
      {suspended.reason && <span className="muted small">{suspended.reason}</span>}
    </div>
  );
}

/** One org; *Manage* opens its plan, limit overrides and suspension in a row beneath it. */
export function OperatorOrgRow({ org }: { org: OperatorOrg }) {
  const [managing, setManaging] = useState(false);
  const panelId = useId();
  const usage = org.usageThisMonth;

  return (
    <>
      <tr data-testid="operator-org-row">
        <th scope="row" className="operator-org-name">
          {org.name}
          <div className="mono muted small">{org.slug}</div>
        </th>
        <td>
          <span className="badge">{org.plan}</span>
        </td>
        <td className="number">{formatCount(org.members)}</td>
        <td className="number">{formatCount(usage.requests)}</td>
        <td className="number">{formatCount(usage.tokens)}</td>
        <td className="number">{formatCount(usage.errors)}</td>
        <td>
          <GatewaySpend org={org} />
        </td>
        <td>
          <OrgState suspended={org.suspended} />
        </td>
        <td>
          <button
            type="button"
            className="secondary small"
            aria-expanded={managing}
            aria-controls={managing ? panelId : undefined}
            aria-label={`${managing ? 'Close' : 'Manage'} ${org.name}`}
            onClick={() => setManaging(!managing)}
          >
            {managing ? 'Close' : 'Manage'}
          </button>
        </td>
      </tr>
      {managing && (
        <tr className="operator-manage-row" id={panelId}>
          <td colSpan={COLUMNS}>
            <OrgManagement org={org} />
          </td>
        </tr>
      )}
    </>
  );
}
