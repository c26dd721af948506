import type { Org } from '@switchyard/shared';
import { type FormEvent, useState } from 'react';
import { useUpdateOrgSettings } from '../../api/use-org.js';
import { LOG_PAYLOADS_HELP } from './log-payloads-help.js';
import { PlanFact } from './plan-fact.js';
import { SaveFooter } from './save-footer.js';

type OrgChanges = { name?: string; logPayloads?: boolean };

/** Name and payload logging, for admins; the plan is the server operator's, so it is only shown. */
export function OrgSettingsForm({ org }: { org: Org }) {
  const [name, setName] = useState(org.name);
  const [logPayloads, setLogPayloads] = useState(org.logPayloads);
  const save = useUpdateOrgSettings((updated) => setName(updated.name));

  const changes: OrgChanges = {
    ...(name.trim() !== org.name ? { name: name.trim() } : {}),
    ...(logPayloads !== org.logPayloads ? { logPayloads } : {}),
  };
  const dirty = Object.keys(changes).length > 0;
  // A new edit makes the last "Saved" or error stale.
  const edit = <TValue,>(set: (value: TValue) => void, value: TValue) => {
    set(value);
    save.reset();
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (dirty) save.mutate(changes);
  };

  return (
    <form className="card stack" onSubmit={submit} aria-labelledby="org-settings-title">
      <h2 id="org-settings-title">Organization</h2>
      <label>
        Name
        <input
          name="name"
          required
          maxLength={100}
          value={name}
          onChange={(event) => edit(setName, event.target.value)}
        />
      </label>
      <dl className="facts">
        <dt>Slug</dt>
        <dd className="mono">{org.slug}</dd>
        <PlanFact plan={org.plan} />
      </dl>
      <div>
        <label className="inline">
          <input
            type="checkbox"
            name="logPayloads"
            checked={logPayloads}
            onChange={(event) => edit(setLogPayloads, event.target.checked)}
            aria-describedby="log-payloads-help"
          />
          Log payloads
        </label>
        <p id="log-payloads-help" className="muted small field-help">
          {LOG_PAYLOADS_HELP}
        </p>
      </div>
      <SaveFooter save={save} dirty={dirty} submitLabel="Save changes" />
    </form>
  );
}
