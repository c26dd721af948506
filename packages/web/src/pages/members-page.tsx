import { useInvitations } from '../api/use-invitations.js';
import { useMembers } from '../api/use-members.js';
import { useCan, useMe } from '../api/use-session.js';
import { EmptyState, QueryState } from '../components/data-state.js';
import { InvitationList } from './members/invitation-list.js';
import { InviteForm } from './members/invite-form.js';
import { MemberTable } from './members/member-table.js';

export default function MembersPage() {
  const { data: me } = useMe();
  const canAdmin = useCan('admin');
  const canOwn = useCan('owner');
  const members = useMembers();
  const invitations = useInvitations({ enabled: canAdmin });
  if (!me) return null;

  return (
    <>
      <div className="page-header">
        <h1>Members</h1>
      </div>
      <p className="muted">
        Who can sign in to <strong>{me.org.name}</strong>, and with which role.
        {!canAdmin && ` Your role is ${me.org.role}: only admins and owners manage members.`}
      </p>
      <QueryState query={members} label="Loading members…">
        {(list) =>
          list.length === 0 ? (
            <EmptyState title="No members" />
          ) : (
            <MemberTable members={list} actorRole={me.org.role} selfId={me.user.id} />
          )
        }
      </QueryState>
      {canAdmin && (
        <>
          <h2>Pending invitations</h2>
          <QueryState query={invitations} label="Loading invitations…">
            {(list) => <InvitationList invitations={list} />}
          </QueryState>
          <InviteForm canInviteOwner={canOwn} />
        </>
      )}
    </>
  );
}
