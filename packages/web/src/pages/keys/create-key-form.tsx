import { type CreatedApiKey, ROLE_SCOPES, type Role, SCOPES } from '@switchyard/shared';
import type { FormEvent } from 'react';
import { useCreateKey } from '../../api/use-keys.js';
import { ErrorText } from '../../components/data-state.js';

const SCOPE_HELP: Record<(typeof SCOPES)[number], string> = {
  gateway: 'call models through /v1',
  ingest: 'send telemetry (SDK, OTLP)',
  admin: 'manage this org through /api',
};

const positiveOrNull = (value: FormDataEntryValue | null) => {
  const number = Number(value);
  return value && number > 0 ? number : null;
};

/**
 * A new key's name, scopes and limits; answers with the created key, whose secret is shown once.
 * Only the scopes the creator's role may give are offered (members: not `admin`), as the server decides.
 */
export function CreateKeyForm({ role, onCreated }: { role: Role; onCreated: (key: CreatedApiKey) => void }) {
  const grantable = ROLE_SCOPES[role];
  const create = useCreateKey(onCreated);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const budgetUsd = positiveOrNull(form.get('budgetUsd'));
    create.mutate({
      name: String(form.get('name') ?? ''),
      scopes: form.getAll('scopes').map(String),
      requestsPerMinute: positiveOrNull(form.get('requestsPerMinute')),
      tokensPerMinute: positiveOrNull(form.get('tokensPerMinute')),
      budgetUsd,
      budgetPeriod: budgetUsd ? String(form.get('budgetPeriod')) : null,
    });
    event.currentTarget.reset();
  };

  return (
    <form className="card stack" onSubmit={submit} aria-label="Create an API key">
      <h2>Create a key</h2>
      <div className="row">
        <label>
          Name
          <input name="name" required maxLength={100} placeholder="production backend" />
        </label>
        <fieldset className="row">
          <legend>Scopes</legend>
          {SCOPES.map((scope) => {
            const allowed = grantable.includes(scope);
            return (
              <label className="inline" key={scope} title={SCOPE_HELP[scope]}>
                <input
                  type="checkbox"
                  name="scopes"
                  value={scope}
                  defaultChecked={allowed && scope !== 'admin'}
                  disabled={!allowed}
                />
                {scope}{' '}
                <span className="muted small">
                  ({allowed ? SCOPE_HELP[scope] : 'only admins and owners can give a key this scope'})
                </span>
              </label>
            );
          })}
        </fieldset>
      </div>
      <div className="row">
        <label>
          Requests per minute
          <input name="requestsPerMinute" type="number" min="1" step="1" placeholder="no limit" />
        </label>
        <label>
          Tokens per minute
          <input name="tokensPerMinute" type="number" min="1" step="1" placeholder="no limit" />
        </label>
        <label>
          Budget (USD)
          <input name="budgetUsd" type="number" min="0.01" step="0.01" placeholder="no budget" />
        </label>
        <label>
          Budget period
          <select name="budgetPeriod" defaultValue="month">
            <option value="day">per day</option>
            <option value="month">per month</option>
          </select>
        </label>
      </div>
      <ErrorText message={create.error?.message} />
      <div className="actions">
        <button type="submit" disabled={create.isPending}>
          {create.isPending ? 'Creating…' : 'Create key'}
        </button>
      </div>
    </form>
  );
}
