import type { AlertRule } from '@switchyard/shared';
import { describeCondition, describeWebhook, formatAlertValue } from '@switchyard/shared';
import { useId, useState } from 'react';
import { useDeleteAlertRule, useSaveAlertRule, useTestAlertRule } from '../../api/use-alerts.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorText } from '../../components/data-state.js';
import { formatAgo, formatDateTime } from '../../lib/format.js';
import { AlertEvents } from './alert-events.js';

const ALERT_COLUMNS = 7;

const sinceTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

function StateBadge({ rule }: { rule: AlertRule }) {
  if (rule.state === 'ok') return <span className="badge success">OK</span>;
  return (
    <>
      <span className="badge error">FIRING</span>
      {rule.firingSince && (
        <span className="muted small alert-since" title={formatDateTime(rule.firingSince)}>
          since {sinceTime.format(new Date(rule.firingSince))}
        </span>
      )}
    </>
  );
}

/** One rule; its name opens its recent events in a row of their own beneath it. */
export function AlertRow({
  rule,
  canEdit,
  keyName,
  onEdit,
}: {
  rule: AlertRule;
  canEdit: boolean;
  keyName: (id: string) => string;
  onEdit: () => void;
}) {
  const [expanded, setExpanded] = useState(false);
  const eventsId = useId();
  const toggle = useSaveAlertRule();
  const test = useTestAlertRule();
  const deleteRule = useDeleteAlertRule();
  const columns = canEdit ? ALERT_COLUMNS : ALERT_COLUMNS - 1;
  const failure = toggle.error?.message ?? test.error?.message;
  // While the switch saves (until the list is read again), it shows the state asked for.
  const enabled = (toggle.isPending ? toggle.variables?.body.enabled : undefined) ?? rule.enabled;

  const sendTest = () => test.mutate(rule.id, { onSuccess: () => setExpanded(true) });

  return (
    <>
      <tr data-testid="alert-row">
        <td>
          <button
            type="button"
            className="link-button alert-name"
            aria-expanded={expanded}
            aria-controls={expanded ? eventsId : undefined}
            title={expanded ? 'Hide recent events' : 'Show recent events'}
            onClick={() => setExpanded(!expanded)}
          >
            <span aria-hidden="true">{expanded ? '▾ ' : '▸ '}</span>
            {rule.name}
          </button>
        </td>
        <td className="alert-condition">{describeCondition(rule.condition, keyName)}</td>
        <td className="alert-state">
          <StateBadge rule={rule} />
        </td>
        <td>
          {formatAlertValue(rule.condition.metric, rule.lastValue)}
          <span className="muted small alert-evaluated" title={formatDateTime(rule.lastEvaluatedAt)}>
            {rule.lastEvaluatedAt ? `checked ${formatAgo(rule.lastEvaluatedAt)}` : 'not checked yet'}
          </span>
        </td>
        <td className={rule.webhookUrl ? 'alert-webhook mono small' : 'alert-webhook muted small'}>
          {describeWebhook(rule.webhookUrl)}
        </td>
        <td>
          {canEdit ? (
            <label className="inline">
              <input
                type="checkbox"
                role="switch"
                aria-checked={enabled}
                checked={enabled}
                disabled={toggle.isPending}
                onChange={(event) => toggle.mutate({ id: rule.id, body: { enabled: event.target.checked } })}
              />
              <span className="visually-hidden">Enabled: {rule.name}</span>
              <span aria-hidden="true">{enabled ? 'on' : 'off'}</span>
            </label>
          ) : rule.enabled ? (
            'on'
          ) : (
            <span className="muted">off</span>
          )}
        </td>
        {canEdit && (
          <td>
            <div className="row-actions">
              <button
                type="button"
                className="secondary small"
                onClick={sendTest}
                disabled={test.isPending}
                aria-label={`Send test: ${rule.name}`}
              >
                {test.isPending ? 'Sending…' : 'Send test'}
              </button>
              <button type="button" className="secondary small" onClick={onEdit} aria-label={`Edit ${rule.name}`}>
                Edit
              </button>
              <ConfirmButton
                label="Delete"
                title={`Delete the alert ${rule.name}?`}
                message="It stops being checked and its event history is erased. This cannot be undone."
                confirmLabel="Delete alert"
                onConfirm={() => deleteRule.mutateAsync(rule.id)}
              />
            </div>
          </td>
        )}
      </tr>
      {failure && (
        <tr className="alert-detail-row">
          <td colSpan={columns}>
            <ErrorText message={failure} />
          </td>
        </tr>
      )}
      {expanded && (
        <tr className="alert-detail-row" id={eventsId}>
          <td colSpan={columns}>
            <AlertEvents ruleId={rule.id} ruleName={rule.name} metric={rule.condition.metric} />
          </td>
        </tr>
      )}
    </>
  );
}
