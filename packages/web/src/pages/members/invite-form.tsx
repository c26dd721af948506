import { type CreatedInvitation, ROLES, type Role } from '@switchyard/shared';
import { type FormEvent, useState } from 'react';
import { useCreateInvitation } from '../../api/use-invitations.js';
import { CopyButton } from '../../components/copy-button.js';
import { ErrorText } from '../../components/data-state.js';
import { formatDate } from '../../lib/format.js';

const ROLE_HELP =
  'Viewers see everything; members also create API keys; admins also manage members, providers and settings, and give keys the admin scope; owners also manage owners.';

/** Invites by email. Switchyard sends no mail: the sign-up link is shown here, once. */
export function InviteForm({ canInviteOwner }: { canInviteOwner: boolean }) {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('member');
  const invite = useCreateInvitation(() => {
    setEmail('');
    setRole('member');
  });
  const choices = canInviteOwner ? ROLES : ROLES.filter((choice) => choice !== 'owner');

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    invite.mutate({ email, role });
  };

  return (
    <section className="card stack invite-card" aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <form className="stack" onSubmit={submit}>
        <div className="row">
          <label>
            Email
            <input
              type="email"
              name="email"
              autoComplete="off"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
            />
          </label>
          <label className="role-field">
            Role
            <select name="role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
              {choices.map((choice) => (
                <option key={choice} value={choice}>
                  {choice}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={invite.isPending}>
            {invite.isPending ? 'Inviting…' : 'Create invitation'}
          </button>
        </div>
        <p className="muted small">{ROLE_HELP}</p>
        <ErrorText message={invite.error?.message} />
      </form>
      {invite.data && <CreatedLink invitation={invite.data} onDismiss={() => invite.reset()} />}
    </section>
  );
}

function CreatedLink({ invitation, onDismiss }: { invitation: CreatedInvitation; onDismiss: () => void }) {
  return (
    <div className="notice stack created-notice" role="status">
      <p>
        Invitation for <strong>{invitation.email}</strong> as {invitation.role} created. Switchyard sends no email: send
        them this sign-up link yourself. <strong>It is shown only once</strong> and works until{' '}
        {formatDate(invitation.expiresAt)}.
      </p>
      <div className="invite-link">
        <code className="secret">{invitation.signupUrl}</code>
        <CopyButton text={invitation.signupUrl} label="Copy link" />
      </div>
      <div>
        <button type="button" className="secondary small" onClick={onDismiss}>
          Done
        </button>
      </div>
    </div>
  );
}
