import { ALERT_METRICS, type AlertMetric, METRIC_LABELS, SPEND_PERIODS, type SpendPeriod } from '@switchyard/shared';
import { useKeyLookup } from '../../api/use-keys.js';
import { formatUsd } from '../../lib/format.js';
import type { AlertDraft } from './alert-draft.js';

const METRIC_HELP: Record<AlertMetric, string> = {
  error_rate: 'The share of recorded model calls (gateway, SDK, OpenTelemetry) that failed in the last hours.',
  p95_latency: 'The time within which 95% of recorded model calls answered in the last hours.',
  spend: 'What the organization spent this UTC day or month.',
  key_budget: 'How much of its budget a key has spent in its current budget period.',
};

type FieldsProps = { draft: AlertDraft; change: (changes: Partial<AlertDraft>) => void };

type NumericField = 'windowHours' | 'minRequests' | 'errorRatePercent' | 'latencyMs' | 'spendUsd' | 'budgetPercent';

/** A labelled, required number input bound to one field of the draft. */
function NumberField(
  props: FieldsProps & { field: NumericField; label: string; min: string; max?: string; step: string },
) {
  const { draft, change, field } = props;
  return (
    <label>
      {props.label}
      <input
        type="number"
        min={props.min}
        max={props.max}
        step={props.step}
        required
        value={draft[field]}
        onChange={(event) => change({ [field]: event.target.value })}
      />
    </label>
  );
}

/** Hours and minimum requests: the window shared by error-rate and latency rules. */
function WindowFields({ draft, change }: FieldsProps) {
  return (
    <>
      <NumberField
        draft={draft}
        change={change}
        field="windowHours"
        label="Window (hours)"
        min="1"
        max="168"
        step="1"
      />
      <NumberField draft={draft} change={change} field="minRequests" label="Minimum requests" min="1" step="1" />
    </>
  );
}

/** The keys a key-budget rule can watch; keys without a budget are listed but cannot be chosen. */
function KeySelect({ draft, change }: FieldsProps) {
  const keys = useKeyLookup();
  const listed = (keys.data?.data ?? []).filter((key) => !key.revokedAt || key.id === draft.apiKeyId);
  const known = draft.apiKeyId === '' || listed.some((key) => key.id === draft.apiKeyId);
  return (
    <label>
      Key
      <select value={draft.apiKeyId} onChange={(event) => change({ apiKeyId: event.target.value })}>
        <option value="">Any key with a budget</option>
        {listed.map((key) => (
          <option key={key.id} value={key.id} disabled={key.budgetUsd === null && key.id !== draft.apiKeyId}>
            {key.name}
            {key.budgetUsd === null ? ' (no budget)' : ` (${formatUsd(key.budgetUsd)}/${key.budgetPeriod})`}
          </option>
        ))}
        {!known && <option value={draft.apiKeyId}>{keys.isPending ? 'Loading keys…' : 'A key not listed'}</option>}
      </select>
    </label>
  );
}

/** What the rule watches: the metric, then the fields that metric takes. */
export function AlertConditionFields({ draft, change }: FieldsProps) {
  return (
    <fieldset className="stack">
      <legend>Condition</legend>
      <div className="alert-field">
        <label>
          Metric
          <select
            value={draft.metric}
            onChange={(event) => change({ metric: event.target.value as AlertMetric })}
            aria-describedby="alert-metric-hint"
          >
            {ALERT_METRICS.map((metric) => (
              <option key={metric} value={metric}>
                {METRIC_LABELS[metric]}
              </option>
            ))}
          </select>
        </label>
        <p id="alert-metric-hint" className="muted small">
          {METRIC_HELP[draft.metric]}
        </p>
      </div>
      <div className="row">
        {draft.metric === 'error_rate' && (
          <>
            <NumberField
              draft={draft}
              change={change}
              field="errorRatePercent"
              label="Threshold (%)"
              min="0.01"
              max="100"
              step="any"
            />
            <WindowFields draft={draft} change={change} />
          </>
        )}
        {draft.metric === 'p95_latency' && (
          <>
            <NumberField draft={draft} change={change} field="latencyMs" label="Threshold (ms)" min="1" step="1" />
            <WindowFields draft={draft} change={change} />
          </>
        )}
        {draft.metric === 'spend' && (
          <>
            <NumberField
              draft={draft}
              change={change}
              field="spendUsd"
              label="Threshold (USD)"
              min="0.01"
              step="0.01"
            />
            <label>
              Period
              <select
                value={draft.spendPeriod}
                onChange={(event) => change({ spendPeriod: event.target.value as SpendPeriod })}
              >
                {SPEND_PERIODS.map((period) => (
                  <option key={period} value={period}>
                    per {period} (UTC)
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        {draft.metric === 'key_budget' && (
          <>
            <NumberField
              draft={draft}
              change={change}
              field="budgetPercent"
              label="Threshold (% of budget)"
              min="0.01"
              max="100"
              step="any"
            />
            <KeySelect draft={draft} change={change} />
          </>
        )}
      </div>
    </fieldset>
  );
}
