import type { Member, Role } from '@switchyard/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../../api/client.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { memberPermissions } from './member-permissions.js';
import { formatDate, MEMBERS_KEY } from './members-queries.js';
import { RoleEditor } from './role-editor.js';

export function MemberTable({ members, actorRole, selfId }: { members: Member[]; actorRole: Role; selfId: string }) {
  const ownerCount = members.filter((member) => member.role === 'owner').length;
  const manages = actorRole === 'admin' || actorRole === 'owner';

  return (
    <div className="table-wrap members-table">
      <table>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">Role</th>
            <th scope="col">Joined</th>
            {manages && <th scope="col">Actions</th>}
          </tr>
        </thead>
        <tbody>
          {members.map((member) => {
            const isSelf = member.userId === selfId;
            const allowed = memberPermissions({ actorRole, targetRole: member.role, ownerCount, isSelf });
            const label = member.name ?? member.email;
            return (
              <tr key={member.userId}>
                <td>
                  {member.name ?? <span className="muted">—</span>}
                  {isSelf && <span className="muted"> (you)</span>}
                </td>
                <td>{member.email}</td>
                <td>
                  {allowed.roleChoices.length > 0 ? (
                    <RoleEditor member={member} choices={allowed.roleChoices} isSelf={isSelf} />
                  ) : (
                    <span className="badge" title={allowed.reason ?? undefined}>
                      {member.role}
                    </span>
                  )}
                </td>
                <td>{formatDate(member.joinedAt)}</td>
                {manages && (
                  <td>
                    {allowed.canRemove ? (
                      <RemoveMemberButton member={member} label={label} />
                    ) : (
                      <span className="muted small">{allowed.reason}</span>
                    )}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Remove, with the choice to revoke the member's keys too: on by default, as a departing person's keys should go. */
function RemoveMemberButton({ member, label }: { member: Member; label: string }) {
  const queryClient = useQueryClient();
  const [revokeKeys, setRevokeKeys] = useState(true);

  const remove = async () => {
    await api(`/api/members/${member.userId}?revokeKeys=${revokeKeys}`, { method: 'DELETE' });
    await queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
    if (revokeKeys) await queryClient.invalidateQueries({ queryKey: ['keys'] });
  };

  return (
    <ConfirmButton
      label="Remove"
      title={`Remove ${label}?`}
      message={`${label} loses access to this organization at once.`}
      confirmLabel="Remove member"
      onConfirm={remove}
    >
      <label className="inline">
        <input type="checkbox" checked={revokeKeys} onChange={(event) => setRevokeKeys(event.target.checked)} />
        Also revoke the API keys they created here
      </label>
      <p className="muted small">Unchecked, their keys keep working until you revoke them on API keys.</p>
    </ConfirmButton>
  );
}
