import type { AlertRule } from '@switchyard/shared';
import { describeWebhook } from '@switchyard/shared';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { useSaveAlertRule } from '../../api/use-alerts.js';
import { FormFooter } from '../../components/form-footer.js';
import { AlertConditionFields } from './alert-condition-fields.js';
import { type AlertDraft, bodyFromDraft, draftFromRule, patchFromDraft } from './alert-draft.js';

/** Creates a rule, or edits `rule`. The server's 400s name the field, so they are shown as they come. */
export function AlertForm({ rule, onDone }: { rule: AlertRule | null; onDone: () => void }) {
  const [draft, setDraft] = useState<AlertDraft>(() => draftFromRule(rule));
  const save = useSaveAlertRule();
  const nameInput = useRef<HTMLInputElement>(null);
  // The form opens on a click: take the user to its first field.
  useEffect(() => nameInput.current?.focus(), []);
  const change = (changes: Partial<AlertDraft>) => setDraft((current) => ({ ...current, ...changes }));

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const saved = { onSuccess: onDone };
    if (rule) save.mutate({ id: rule.id, body: patchFromDraft(draft) }, saved);
    else save.mutate({ id: undefined, body: bodyFromDraft(draft) }, saved);
  };

  const storedWebhook = rule?.webhookUrl ?? null;
  const webhookHint = !rule
    ? 'Where to POST the notification (Slack and Discord incoming webhooks work; addresses on the server’s own network need ALLOW_PRIVATE_URLS=true). Empty: the server’s ALERT_WEBHOOK_URL.'
    : storedWebhook
      ? `Left empty, notifications keep going to ${describeWebhook(storedWebhook)}.`
      : 'Empty keeps sending to the server’s ALERT_WEBHOOK_URL.';

  return (
    <form className="stack" onSubmit={submit} aria-labelledby="alert-form-title">
      <h3 id="alert-form-title">{rule ? `Edit alert ${rule.name}` : 'New alert'}</h3>
      <label>
        Name
        <input
          value={draft.name}
          onChange={(event) => change({ name: event.target.value })}
          placeholder="Gateway errors"
          maxLength={200}
          required
          ref={nameInput}
        />
      </label>
      <AlertConditionFields draft={draft} change={change} />
      <div className="row">
        <div className="alert-field">
          <label>
            {rule ? 'New webhook URL' : 'Webhook URL (optional)'}
            <input
              type="url"
              value={draft.webhookUrl}
              onChange={(event) => change({ webhookUrl: event.target.value })}
              placeholder="https://hooks.slack.com/services/…"
              maxLength={2000}
              spellCheck={false}
              autoComplete="off"
              aria-describedby="alert-webhook-hint"
            />
          </label>
          <p id="alert-webhook-hint" className="muted small">
            {webhookHint}
          </p>
          {storedWebhook && !draft.webhookUrl && (
            <label className="inline">
              <input
                type="checkbox"
                checked={draft.useServerWebhook}
                onChange={(event) => change({ useServerWebhook: event.target.checked })}
              />
              Use the server default instead
            </label>
          )}
        </div>
        <div className="alert-field">
          <label>
            Cool-down (minutes)
            <input
              type="number"
              min="0"
              max={7 * 24 * 60}
              step="1"
              required
              value={draft.cooldownMinutes}
              onChange={(event) => change({ cooldownMinutes: event.target.value })}
              aria-describedby="alert-cooldown-hint"
            />
          </label>
          <p id="alert-cooldown-hint" className="muted small">
            After a notification, at most one more for this rule within this time, so a flapping value does not flood
            the channel.
          </p>
        </div>
      </div>
      <label className="inline">
        <input
          type="checkbox"
          checked={draft.enabled}
          onChange={(event) => change({ enabled: event.target.checked })}
        />
        Enabled
      </label>
      <FormFooter
        error={save.error}
        saving={save.isPending}
        submitLabel={rule ? 'Save alert' : 'Create alert'}
        onCancel={onDone}
      />
    </form>
  );
}
