import type { OperatorOrg } from '@switchyard/shared';
import { useId, useState } from 'react';
import { useUpdateOperatorOrg } from '../../api/use-operator-orgs.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorText } from '../../components/data-state.js';
import { formatDateTime } from '../../lib/format.js';

/** Suspends the org with a reason its members and keys are told, behind a confirmation; or lifts it. */
export function OrgSuspension({ org }: { org: OperatorOrg }) {
  const update = useUpdateOperatorOrg();
  const [reason, setReason] = useState('');
  const titleId = useId();

  const suspend = () => {
    const given = reason.trim();
    return update.mutateAsync({ id: org.id, patch: { suspended: true, ...(given ? { suspendedReason: given } : {}) } });
  };
  const unsuspend = () => update.mutate({ id: org.id, patch: { suspended: false } });

  return (
    <section className="card stack" aria-labelledby={titleId}>
      <h3 id={titleId}>Suspension</h3>
      {org.suspended ? (
        <>
          <p>
            <span className="badge error">suspended</span> since {formatDateTime(org.suspended.at)}
            {org.suspended.reason ? `: ${org.suspended.reason}` : ', with no reason given.'}
          </p>
          <p className="muted small">Its keys are refused and its members can only read.</p>
          <ErrorText message={update.error?.message} />
          <div>
            <button type="button" onClick={unsuspend} disabled={update.isPending}>
              {update.isPending ? 'Lifting…' : 'Unsuspend'}
            </button>
          </div>
        </>
      ) : (
        <>
          <p className="muted small">
            Active. Suspending refuses every API key of the org on every endpoint, with your reason; its members can
            still sign in and read, but change nothing.
          </p>
          <div>
            <ConfirmButton
              label="Suspend"
              title={`Suspend ${org.name}?`}
              message="Its API keys stop working at once, on every replica, and its members can only read until you unsuspend it."
              confirmLabel="Suspend organization"
              onConfirm={suspend}
            >
              <label>
                Reason, shown to the org
                <input
                  name="suspendedReason"
                  maxLength={500}
                  value={reason}
                  onChange={(event) => setReason(event.target.value)}
                  placeholder="unpaid invoice"
                />
              </label>
            </ConfirmButton>
          </div>
        </>
      )}
    </section>
  );
}
