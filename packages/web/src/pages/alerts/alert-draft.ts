import type {
  AlertCondition,
  AlertMetric,
  AlertRule,
  AlertRuleBody,
  AlertRulePatch,
  SpendPeriod,
} from '@switchyard/shared';

// Numbers stay text while they are typed (an emptied field is not 0); they become numbers on submit.
// Each metric keeps its own fields, so switching the metric back and forth loses nothing typed.
export type AlertDraft = {
  name: string;
  metric: AlertMetric;
  errorRatePercent: string;
  latencyMs: string;
  windowHours: string;
  minRequests: string;
  spendUsd: string;
  spendPeriod: SpendPeriod;
  budgetPercent: string;
  /** '' = any key of the org that has a budget. */
  apiKeyId: string;
  /** Write-only, like a provider's key: empty on edit keeps the stored URL. */
  webhookUrl: string;
  /** On edit: send to the server's ALERT_WEBHOOK_URL instead of the stored URL. */
  useServerWebhook: boolean;
  cooldownMinutes: string;
  enabled: boolean;
};

const NEW_RULE: AlertDraft = {
  name: '',
  metric: 'error_rate',
  errorRatePercent: '5',
  latencyMs: '2000',
  windowHours: '1',
  minRequests: '10',
  spendUsd: '50',
  spendPeriod: 'day',
  budgetPercent: '80',
  apiKeyId: '',
  webhookUrl: '',
  useServerWebhook: false,
  cooldownMinutes: '60',
  enabled: true,
};

export function draftFromRule(rule: AlertRule | null): AlertDraft {
  if (!rule) return NEW_RULE;
  const common = {
    ...NEW_RULE,
    name: rule.name,
    metric: rule.condition.metric,
    cooldownMinutes: String(rule.cooldownMinutes),
    enabled: rule.enabled,
  };
  const condition = rule.condition;
  switch (condition.metric) {
    case 'error_rate':
      return {
        ...common,
        errorRatePercent: String(condition.thresholdPercent),
        windowHours: String(condition.windowHours),
        minRequests: String(condition.minRequests),
      };
    case 'p95_latency':
      return {
        ...common,
        latencyMs: String(condition.thresholdMs),
        windowHours: String(condition.windowHours),
        minRequests: String(condition.minRequests),
      };
    case 'spend':
      return { ...common, spendUsd: String(condition.thresholdUsd), spendPeriod: condition.period };
    case 'key_budget':
      return { ...common, budgetPercent: String(condition.thresholdPercent), apiKeyId: condition.apiKeyId ?? '' };
  }
}

function conditionFromDraft(draft: AlertDraft): AlertCondition {
  switch (draft.metric) {
    case 'error_rate':
      return {
        metric: 'error_rate',
        thresholdPercent: Number(draft.errorRatePercent),
        windowHours: Number(draft.windowHours),
        minRequests: Number(draft.minRequests),
      };
    case 'p95_latency':
      return {
        metric: 'p95_latency',
        thresholdMs: Number(draft.latencyMs),
        windowHours: Number(draft.windowHours),
        minRequests: Number(draft.minRequests),
      };
    case 'spend':
      return { metric: 'spend', thresholdUsd: Number(draft.spendUsd), period: draft.spendPeriod };
    case 'key_budget':
      return { metric: 'key_budget', thresholdPercent: Number(draft.budgetPercent), apiKeyId: draft.apiKeyId || null };
  }
}

export function bodyFromDraft(draft: AlertDraft): AlertRuleBody {
  return {
    name: draft.name.trim(),
    enabled: draft.enabled,
    webhookUrl: draft.webhookUrl.trim() || null,
    cooldownMinutes: Number(draft.cooldownMinutes),
    condition: conditionFromDraft(draft),
  };
}

/** Everything but the webhook, which changes only when a new URL is typed or the default is chosen. */
export function patchFromDraft(draft: AlertDraft): AlertRulePatch {
  const webhookUrl = draft.webhookUrl.trim();
  return {
    name: draft.name.trim(),
    enabled: draft.enabled,
    cooldownMinutes: Number(draft.cooldownMinutes),
    condition: conditionFromDraft(draft),
    ...(webhookUrl ? { webhookUrl } : draft.useServerWebhook ? { webhookUrl: null } : {}),
  };
}
