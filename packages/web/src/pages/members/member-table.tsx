import type { Member, Role } from '@switchyard/shared';
import { useActiveKeysByCreator } from '../../api/use-keys.js';
import { useRemoveMember } from '../../api/use-members.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { formatDate } from '../../lib/format.js';
import { memberPermissions } from './member-permissions.js';
import { RoleEditor } from './role-editor.js';

export function MemberTable({ members, actorRole, selfId }: { members: Member[]; actorRole: Role; selfId: string }) {
  const ownerCount = members.filter((member) => member.role === 'owner').length;
  const manages = actorRole === 'admin' || actorRole === 'owner';
  const keyCounts = useActiveKeysByCreator({ enabled: manages });

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
                      <RemoveMemberButton
                        member={member}
                        label={label}
                        activeKeys={keyCounts.data ? (keyCounts.data.get(member.userId) ?? 0) : null}
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

/** What happens to the member's keys when they go, which the server always does. */
function keysNote(activeKeys: number | null): string {
  if (activeKeys === null) return 'The API keys they created in this organization are revoked with them.';
  if (activeKeys === 0) return 'They have no working API keys in this organization.';
  const keys = activeKeys === 1 ? '1 API key' : `${activeKeys} API keys`;
  return `The ${keys} they created in this organization ${activeKeys === 1 ? 'is' : 'are'} revoked with them.`;
}

/** Remove, saying how many of their keys stop with them (null while the count loads). */
function RemoveMemberButton({
  member,
  label,
  activeKeys,
}: {
  member: Member;
  label: string;
  activeKeys: number | null;
}) {
  const removeMember = useRemoveMember();

  return (
    <ConfirmButton
      label="Remove"
      title={`Remove ${label}?`}
      message={`${label} loses access to this organization at once.`}
      confirmLabel="Remove member"
      onConfirm={() => removeMember(member.userId)}
    >
      <p>{keysNote(activeKeys)}</p>
      {activeKeys !== 0 && (
        <p className="muted small">Replace any of them your apps use first: they stop working now.</p>
      )}
    </ConfirmButton>
  );
}
