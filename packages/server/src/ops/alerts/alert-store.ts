import type { AlertEvent, AlertRule, AlertRuleBody, AlertRulePatch } from '@switchyard/shared';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Database } from '../../db/client.js';
import { alertEvents, alertRules } from '../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../http/cursor.js';

export type AlertRuleRow = typeof alertRules.$inferSelect;
export type AlertEventRow = typeof alertEvents.$inferSelect;
type Page<TItem> = { data: TItem[]; nextCursor: string | null };

/** Where a page of a list ordered by (created_at desc, id desc) starts. */
function afterCursor(columns: { createdAt: AnyPgColumn; id: AnyPgColumn }, cursor?: string) {
  const after = cursor ? decodeCursor(cursor) : undefined;
  return after
    ? or(lt(columns.createdAt, after.time), and(eq(columns.createdAt, after.time), lt(columns.id, after.id)))
    : undefined;
}

function pageOf<TRow extends { createdAt: Date; id: string }, TItem>(
  rows: TRow[],
  limit: number,
  toItem: (row: TRow) => TItem,
): Page<TItem> {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    data: page.map(toItem),
    nextCursor: rows.length > limit && last ? encodeCursor({ time: last.createdAt, id: last.id }) : null,
  };
}

/** Newest first, cursor-paginated. */
export async function listAlertRules(
  db: Database,
  options: { orgId: string; limit: number; cursor?: string },
): Promise<Page<AlertRule>> {
  const rows = await db
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.orgId, options.orgId), afterCursor(alertRules, options.cursor)))
    .orderBy(desc(alertRules.createdAt), desc(alertRules.id))
    .limit(options.limit + 1);
  return pageOf(rows, options.limit, toPublicAlertRule);
}

export async function findAlertRule(db: Database, orgId: string, id: string): Promise<AlertRuleRow | undefined> {
  const [row] = await db
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.orgId, orgId), eq(alertRules.id, id)));
  return row;
}

export async function createAlertRule(db: Database, orgId: string, body: AlertRuleBody): Promise<AlertRuleRow> {
  const [row] = await db
    .insert(alertRules)
    .values({
      orgId,
      name: body.name,
      enabled: body.enabled,
      webhookUrl: body.webhookUrl,
      cooldownMinutes: body.cooldownMinutes,
      condition: body.condition,
    })
    .returning();
  if (!row) throw new Error('alert rule insert returned no row');
  return row;
}

/**
 * Changes the given fields. The state is left alone: a rule whose condition changed while firing
 * resolves (with its message) at the next evaluation if the new condition no longer holds.
 */
export async function updateAlertRule(
  db: Database,
  options: { orgId: string; id: string; patch: AlertRulePatch; now: Date },
): Promise<AlertRuleRow | undefined> {
  const { patch } = options;
  const [row] = await db
    .update(alertRules)
    .set({
      ...(patch.name === undefined ? {} : { name: patch.name }),
      ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
      ...(patch.webhookUrl === undefined ? {} : { webhookUrl: patch.webhookUrl }),
      ...(patch.cooldownMinutes === undefined ? {} : { cooldownMinutes: patch.cooldownMinutes }),
      ...(patch.condition === undefined ? {} : { condition: patch.condition }),
      updatedAt: options.now,
    })
    .where(and(eq(alertRules.orgId, options.orgId), eq(alertRules.id, options.id)))
    .returning();
  return row;
}

/** Deletes the rule and (by cascade) its events; false when the org has no such rule. */
export async function deleteAlertRule(db: Database, orgId: string, id: string): Promise<boolean> {
  const deleted = await db
    .delete(alertRules)
    .where(and(eq(alertRules.orgId, orgId), eq(alertRules.id, id)))
    .returning({ id: alertRules.id });
  return deleted.length > 0;
}

export async function insertAlertEvent(
  db: Database,
  event: Omit<typeof alertEvents.$inferInsert, 'id'>,
): Promise<AlertEventRow> {
  const [row] = await db.insert(alertEvents).values(event).returning();
  if (!row) throw new Error('alert event insert returned no row');
  return row;
}

/** How long a rule's notification history is kept. */
export const ALERT_EVENT_RETENTION_MS = 90 * 24 * 3600_000;

/** Forgets notifications older than the retention; returns how many went. */
export async function pruneAlertEvents(db: Database, now: number): Promise<number> {
  const deleted = (await db
    .delete(alertEvents)
    .where(lt(alertEvents.createdAt, new Date(now - ALERT_EVENT_RETENTION_MS)))) as { rowCount?: number | null };
  return deleted.rowCount ?? 0;
}

/** A rule's notifications, newest first, cursor-paginated. */
export async function listAlertEvents(
  db: Database,
  options: { orgId: string; ruleId: string; limit: number; cursor?: string },
): Promise<Page<AlertEvent>> {
  const rows = await db
    .select()
    .from(alertEvents)
    .where(
      and(
        eq(alertEvents.orgId, options.orgId),
        eq(alertEvents.ruleId, options.ruleId),
        afterCursor(alertEvents, options.cursor),
      ),
    )
    .orderBy(desc(alertEvents.createdAt), desc(alertEvents.id))
    .limit(options.limit + 1);
  return pageOf(rows, options.limit, toPublicAlertEvent);
}

export function toPublicAlertRule(row: AlertRuleRow): AlertRule {
  return {
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    webhookUrl: row.webhookUrl,
    cooldownMinutes: row.cooldownMinutes,
    condition: row.condition,
    state: row.state,
    lastValue: row.lastValue,
    lastEvaluatedAt: row.lastEvaluatedAt?.toISOString() ?? null,
    firingSince: row.firingSince?.toISOString() ?? null,
    lastNotifiedAt: row.lastNotifiedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toPublicAlertEvent(row: AlertEventRow): AlertEvent {
  return {
    id: row.id,
    ruleId: row.ruleId,
    kind: row.kind,
    value: row.value,
    message: row.message,
    delivered: row.delivered,
    deliveryError: row.deliveryError,
    createdAt: row.createdAt.toISOString(),
  };
}
