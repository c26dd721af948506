import {
  type AlertEvent,
  type AlertRule,
  type AlertRuleBody,
  type AlertRulePatch,
  alertEventSchema,
  alertRuleSchema,
  pageSchema,
} from '@switchyard/shared';
import { request } from './client.js';

const rulePageSchema = pageSchema(alertRuleSchema);
const eventPageSchema = pageSchema(alertEventSchema);
export type AlertRulePage = { data: AlertRule[]; nextCursor: string | null };
export type AlertEventPage = { data: AlertEvent[]; nextCursor: string | null };

type PageOptions = { limit?: number; cursor?: string | null; signal?: AbortSignal };

/** A page of the org's alert rules, each with its state as last evaluated. */
export function listAlertRules(options: PageOptions = {}): Promise<AlertRulePage> {
  return request('/api/alerts', {
    query: { limit: options.limit, cursor: options.cursor ?? undefined },
    signal: options.signal,
    schema: rulePageSchema,
  });
}

/** A page of one rule's notifications, newest first. */
export function listAlertEvents(ruleId: string, options: PageOptions = {}): Promise<AlertEventPage> {
  return request(`/api/alerts/${ruleId}/events`, {
    query: { limit: options.limit, cursor: options.cursor ?? undefined },
    signal: options.signal,
    schema: eventPageSchema,
  });
}

export function createAlertRule(body: AlertRuleBody): Promise<AlertRule> {
  return request('/api/alerts', { method: 'POST', body, schema: alertRuleSchema });
}

/** A patch replaces the condition whole. */
export function updateAlertRule(id: string, patch: AlertRulePatch): Promise<AlertRule> {
  return request(`/api/alerts/${id}`, { method: 'PATCH', body: patch, schema: alertRuleSchema });
}

export function deleteAlertRule(id: string): Promise<void> {
  return request(`/api/alerts/${id}`, { method: 'DELETE' });
}

/** Sends a test message to the rule's webhook now; answers with the event it recorded. */
export function testAlertRule(id: string): Promise<AlertEvent> {
  return request(`/api/alerts/${id}/test`, { method: 'POST', schema: alertEventSchema });
}
