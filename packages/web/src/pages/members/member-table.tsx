import type { Member, Role } from '@switchyard/shared';
import { useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { memberPermissions } from './member-permissions.js';
import { formatDate, MEMBERS_KEY } from './members-queries.js';
import { RoleEditor } from './role-editor.js';

export function MemberTable({ members, actorRole, selfId }: { members: Member[]; actorRole: Role; selfId: string }) {
  const queryClient = useQueryClient();
  const ownerCount = members.filter((member) => member.role === 'owner').length;
  const manages = actorRole === 'admin' || actorRole === 'owner';

  const remove = async (member: Member) => {
    await api(`/api/members/${member.userId}`, { method: 'DELETE' });
    await queryClient.invalidateQueries({ queryKey: MEMBERS_KEY });
  };

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
                      <ConfirmButton
                        label="Remove"
                        title={`Remove ${label}?`}
                        message={`${label} loses access to this organization at once. API keys they created keep working until you revoke them.`}
                        confirmLabel="Remove member"
                        onConfirm={() => remove(member)}
                      />
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
