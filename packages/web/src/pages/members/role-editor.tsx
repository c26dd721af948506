import type { Member, Role } from '@switchyard/shared';
import { type FormEvent, useState } from 'react';
import { useChangeMemberRole } from '../../api/use-members.js';

/**
 * A member's role as a <select> with its own Save: arrowing through the options on the keyboard
 * changes nothing until the choice is confirmed.
 */
export function RoleEditor({ member, choices, isSelf }: { member: Member; choices: Role[]; isSelf: boolean }) {
  const [draft, setDraft] = useState<Role>(member.role);
  const change = useChangeMemberRole({ userId: member.userId, isSelf });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (draft !== member.role) change.mutate(draft);
  };
  const choose = (role: Role) => {
    setDraft(role);
    change.reset();
  };
  const changed = draft !== member.role;

  return (
    <form className="role-editor" onSubmit={submit}>
      <label>
        <span className="visually-hidden">Role of {member.name ?? member.email}</span>
        <select value={draft} onChange={(event) => choose(event.target.value as Role)} disabled={change.isPending}>
          {choices.map((role) => (
            <option key={role} value={role}>
              {role}
            </option>
          ))}
        </select>
      </label>
      {changed && (
        <>
          <button type="submit" className="small" disabled={change.isPending}>
            {change.isPending ? 'Saving…' : 'Save'}
          </button>
          <button type="button" className="secondary small" onClick={() => choose(member.role)}>
            Cancel
          </button>
        </>
      )}
      <span role="status" className="saved small">
        {change.isSuccess && !changed ? 'Saved' : ''}
      </span>
      {change.error && (
        <p className="error-text small" role="alert">
          {change.error.message}
        </p>
      )}
    </form>
  );
}
