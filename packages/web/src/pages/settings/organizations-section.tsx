import type { MeResponse } from '@switchyard/shared';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useCreateOrg } from '../../api/use-org.js';
import { useSwitchOrg } from '../../api/use-session.js';
import { ErrorText } from '../../components/data-state.js';
import { navigate } from '../../router.js';

/** The orgs you belong to (the sidebar switches between them) and creating another, which you own. */
export function OrganizationsSection({ me }: { me: MeResponse }) {
  const [name, setName] = useState('');
  const create = useCreateOrg(() => setName(''));
  const switchOrg = useSwitchOrg();
  const change = useMutation({
    mutationFn: switchOrg,
    // A new org has nothing in it yet: start where sending the first request is explained.
    onSuccess: () => navigate('/getting-started'),
  });

  const created = create.data;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate(name.trim());
  };

  return (
    <section className="card stack" aria-labelledby="organizations-title">
      <h2 id="organizations-title">Your organizations</h2>
      <ul className="org-list">
        {me.orgs.map((org) => (
          <li key={org.id}>
            <span>
              <strong>{org.name}</strong> <span className="muted small">{org.slug}</span>
            </span>
            <span className="badge">{org.role}</span>
            {org.id === me.org.id && <span className="badge success">current</span>}
          </li>
        ))}
      </ul>
      <form className="stack" onSubmit={submit}>
        <div className="row">
          <label>
            New organization name
            <input
              name="orgName"
              required
              maxLength={100}
              placeholder="Acme AI"
              value={name}
              onChange={(event) => {
                setName(event.target.value);
                create.reset();
              }}
            />
          </label>
          <button type="submit" disabled={create.isPending}>
            {create.isPending ? 'Creating…' : 'Create organization'}
          </button>
        </div>
        <p className="muted small">
          A separate workspace with its own keys, providers, members and data. You become its owner.
        </p>
        <ErrorText message={create.error?.message} />
      </form>
      {created && (
        <div className="notice created-notice" role="status">
          <p>
            Created <strong>{created.name}</strong>. You are still looking at {me.org.name}.
          </p>
          <button type="button" className="small" onClick={() => change.mutate(created.id)} disabled={change.isPending}>
            Switch to {created.name}
          </button>
          <ErrorText message={change.error?.message} />
        </div>
      )}
    </section>
  );
}
