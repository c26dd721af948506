import { type AlertCondition, type AlertEvent, describeCondition } from '@switchyard/shared';
import { thresholdOf } from './alert-conditions.js';

export type AlertMessageKind = AlertEvent['kind'];

export type AlertMessageInput = {
  kind: AlertMessageKind;
  rule: { id: string; name: string; condition: AlertCondition };
  org: { id: string; name: string; slug: string };
  /** What was measured, in words (`Error rate 12.5% > 5% over 1h (25 of 200 requests)`). */
  summary: string;
  value: number | null;
  firingSince: Date | null;
  now: Date;
  /** The dashboard's address, for a link to its alerts page. */
  publicUrl: string | undefined;
};

/** Slack's incoming-webhook shape (also read by Mattermost, Rocket.Chat and Discord's `/slack` URLs). */
export type AlertWebhookBody = {
  text: string;
  attachments: Array<{
    color: string;
    title: string;
    title_link?: string;
    text: string;
    fields: Array<{ title: string; value: string; short: boolean }>;
    ts: number;
  }>;
  /** The same, as data, for receivers that are programs. */
  switchyard: {
    ruleId: string;
    orgId: string;
    orgSlug: string;
    kind: AlertMessageKind;
    metric: AlertCondition['metric'];
    value: number | null;
    threshold: number;
    firingSince: string | null;
  };
};

const HEADLINES: Record<AlertMessageKind, string> = {
  firing: '🔴 FIRING',
  resolved: '✅ RESOLVED',
  test: '🧪 TEST',
};
const COLORS: Record<AlertMessageKind, string> = { firing: '#d1242f', resolved: '#2da44e', test: '#0969da' };

/** How long an incident lasted, in words (`2h 5m`). */
function duration(fromMs: number, toMs: number): string {
  const minutes = Math.max(0, Math.round((toMs - fromMs) / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours ? `${hours}h ${minutes % 60}m` : `${minutes}m`;
}

/** The one line that carries the whole message, for receivers that show only `text`. */
export function alertMessageText(input: AlertMessageInput): string {
  const { rule, org } = input;
  const subject = `${rule.name} (org ${org.name})`;
  const link = input.publicUrl ? ` · ${input.publicUrl}/alerts` : '';
  if (input.kind === 'test')
    return `${HEADLINES.test}: ${subject} — notifications for "${describeCondition(rule.condition)}" will arrive here. ${input.summary}${link}`;
  return `${HEADLINES[input.kind]}: ${input.summary} — ${subject}${link}`;
}

export function alertWebhookBody(input: AlertMessageInput): AlertWebhookBody {
  const { rule, org } = input;
  const fields = [
    { title: 'Condition', value: describeCondition(rule.condition), short: false },
    { title: 'Org', value: `${org.name} (${org.slug})`, short: true },
  ];
  if (input.firingSince) fields.push({ title: 'Firing since', value: input.firingSince.toISOString(), short: true });
  if (input.kind === 'resolved' && input.firingSince)
    fields.push({ title: 'Lasted', value: duration(input.firingSince.getTime(), input.now.getTime()), short: true });
  return {
    text: alertMessageText(input),
    attachments: [
      {
        color: COLORS[input.kind],
        title: rule.name,
        ...(input.publicUrl ? { title_link: `${input.publicUrl}/alerts` } : {}),
        text: input.summary,
        fields,
        ts: Math.floor(input.now.getTime() / 1000),
      },
    ],
    switchyard: {
      ruleId: rule.id,
      orgId: org.id,
      orgSlug: org.slug,
      kind: input.kind,
      metric: rule.condition.metric,
      value: input.value,
      threshold: thresholdOf(rule.condition),
      firingSince: input.firingSince?.toISOString() ?? null,
    },
  };
}
