import type { Invitation } from '@switchyard/shared';
import { useRevokeInvitation } from '../../api/use-invitations.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { EmptyState } from '../../components/data-state.js';
import { formatDate } from '../../lib/format.js';

/** Invitations not yet accepted; expired ones stay listed, marked, until revoked. */
export function InvitationList({ invitations, now = Date.now() }: { invitations: Invitation[]; now?: number }) {
  const revokeInvitation = useRevokeInvitation();
  const pending = invitations.filter((invitation) => invitation.acceptedAt === null);

  if (pending.length === 0) {
    return (
      <EmptyState title="No pending invitations">
        <p className="muted">Invite someone below; they join when they sign up with the link.</p>
      </EmptyState>
    );
  }
  return (
    <div className="table-wrap members-table">
      <table>
        <thead>
          <tr>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Sent</th>
            <th scope="col">Expires</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {pending.map((invitation) => {
            const expired = new Date(invitation.expiresAt).getTime() <= now;
            return (
              <tr key={invitation.id}>
                <td>{invitation.email}</td>
                <td>{invitation.role}</td>
                <td>{formatDate(invitation.createdAt)}</td>
                <td>{expired ? <span className="badge error">expired</span> : formatDate(invitation.expiresAt)}</td>
                <td>
                  <ConfirmButton
                    label="Revoke"
                    title={`Revoke the invitation for ${invitation.email}?`}
                    message="The sign-up link stops working at once. You can invite them again later."
                    confirmLabel="Revoke invitation"
                    onConfirm={() => revokeInvitation(invitation.id)}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
