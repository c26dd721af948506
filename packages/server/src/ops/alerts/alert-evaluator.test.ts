import { eq } from 'drizzle-orm';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertFixture, startAlertFixture } from '../../../test/alert-fixture.js';
import { systemClock } from '../../clock.js';
import { alertRules } from '../../db/schema.js';
import { AlertEvaluator, RESOLVED_NOT_SENT, SUPPRESSED_BY_COOL_DOWN } from './alert-evaluator.js';
import { AlertNotifier } from './alert-notifier.js';
import { AlertWebhook } from './alert-webhook.js';

let alerts: AlertFixture;
beforeAll(async () => {
  alerts = await startAlertFixture();
});
afterAll(() => alerts?.close());

describe('alert evaluator', () => {
  it('fires an error-rate rule once, stays quiet while it keeps firing, and resolves when the window moves on', async () => {
    const org = await alerts.orgWithKey('Acme');
    const rule = await alerts.createRule(org.client, {
      name: 'Gateway errors',
      webhookUrl: `${alerts.receiver.origin}/hooks/errors`,
      condition: { metric: 'error_rate', thresholdPercent: 20, windowHours: 1, minRequests: 10 },
    });

    // Three failures of three: 100%, but too few requests to judge.
    await alerts.chat(org, 'openai/fail-500', 3);
    await alerts.rolledUp(org.orgId, 3);
    await alerts.evaluate();
    expect(await alerts.ruleNow(org.client, rule.id)).toMatchObject({ state: 'ok', lastValue: 100 });
    expect(alerts.bodiesFor(rule.id)).toEqual([]);

    await alerts.chat(org, 'openai/gpt-4o-mini', 7);
    await alerts.rolledUp(org.orgId, 10);
    await alerts.evaluate();
    const firing = await alerts.ruleNow(org.client, rule.id);
    expect(firing).toMatchObject({ state: 'firing', lastValue: 30 });
    expect(firing.firingSince).not.toBeNull();
    expect(firing.lastNotifiedAt).toBe(firing.firingSince);
    const [fired] = alerts.bodiesFor(rule.id);
    expect(fired?.text).toBe(
      '🔴 FIRING: Error rate 30% > 20% over 1h (3 of 10 requests) — Gateway errors (org Acme) · https://switchyard.example/alerts',
    );
    expect(fired?.attachments).toEqual([
      expect.objectContaining({ color: '#d1242f', title: 'Gateway errors', text: expect.stringContaining('30%') }),
    ]);
    expect(fired?.attachments[0]?.fields).toContainEqual({
      title: 'Condition',
      value: 'Error rate > 20% over 1 h (min 10 requests)',
      short: false,
    });
    expect(fired?.switchyard).toMatchObject({
      orgId: org.orgId,
      kind: 'firing',
      metric: 'error_rate',
      value: 30,
      threshold: 20,
      firingSince: firing.firingSince,
    });

    // Still failing a minute later: one incident, one message.
    await alerts.evaluate(1);
    expect(alerts.bodiesFor(rule.id)).toHaveLength(1);
    expect((await alerts.ruleNow(org.client, rule.id)).state).toBe('firing');

    // Two hours on, the bad hour has left the window.
    await alerts.evaluate(120);
    const resolved = await alerts.ruleNow(org.client, rule.id);
    expect(resolved).toMatchObject({ state: 'ok', lastValue: null, firingSince: firing.firingSince });
    const bodies = alerts.bodiesFor(rule.id);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]?.text).toMatch(/^✅ RESOLVED: Error rate 0% ≤ 20% over 1h \(0 requests, under the 10 needed/);
    expect(bodies[1]?.switchyard).toMatchObject({ kind: 'resolved', firingSince: firing.firingSince });

    const events = await alerts.eventsOf(org.client, rule.id);
    expect(events.map((event) => [event.kind, event.delivered, event.value])).toEqual([
      ['resolved', true, null],
      ['firing', true, 30],
    ]);
    expect(events[1]?.message).toBe(fired?.text);
  });

  it('holds back a new incident within the cool-down of the last message, and then its resolution', async () => {
    const org = await alerts.orgWithKey('Flappy');
    const rule = await alerts.createRule(org.client, {
      name: 'Flapping',
      webhookUrl: `${alerts.receiver.origin}/hooks/flapping`,
      cooldownMinutes: 60,
      condition: { metric: 'error_rate', thresholdPercent: 50, windowHours: 2, minRequests: 2 },
    });
    const kinds = () => alerts.bodiesFor(rule.id).map((body) => body.switchyard.kind);

    await alerts.chat(org, 'openai/fail-500', 3); // 3 of 3
    await alerts.rolledUp(org.orgId, 3);
    await alerts.evaluate(0);
    await alerts.chat(org, 'openai/gpt-4o-mini', 4); // 3 of 7
    await alerts.rolledUp(org.orgId, 7);
    await alerts.evaluate(1);
    expect(kinds()).toEqual(['firing', 'resolved']);

    await alerts.chat(org, 'openai/fail-500', 3); // 6 of 10: a new incident, 1 minute after the last message
    await alerts.rolledUp(org.orgId, 10);
    await alerts.evaluate(2);
    expect((await alerts.ruleNow(org.client, rule.id)).state).toBe('firing');
    await alerts.chat(org, 'openai/gpt-4o-mini', 3); // 6 of 13
    await alerts.rolledUp(org.orgId, 13);
    await alerts.evaluate(3);
    expect(kinds()).toEqual(['firing', 'resolved']);

    await alerts.chat(org, 'openai/fail-500', 2); // 8 of 15, over an hour after the last message
    await alerts.rolledUp(org.orgId, 15);
    await alerts.evaluate(65);
    expect(kinds()).toEqual(['firing', 'resolved', 'firing']);

    const events = await alerts.eventsOf(org.client, rule.id);
    expect(events.map((event) => [event.kind, event.delivered, event.deliveryError])).toEqual([
      ['firing', true, null],
      ['resolved', null, RESOLVED_NOT_SENT],
      ['firing', null, SUPPRESSED_BY_COOL_DOWN],
      ['resolved', true, null],
      ['firing', true, null],
    ]);
  });

  it('sends one message when two replicas evaluate at once', async () => {
    const org = await alerts.orgWithKey('Replicated');
    const rule = await alerts.createRule(org.client, {
      name: 'Replicated errors',
      webhookUrl: `${alerts.receiver.origin}/hooks/replicas`,
      condition: { metric: 'error_rate', thresholdPercent: 10, minRequests: 1 },
    });
    await alerts.chat(org, 'openai/fail-500');
    await alerts.rolledUp(org.orgId, 1);
    const replica = await alerts.context.replica();
    await replica.services.alertEvaluator.stop();
    const now = new Date();
    await Promise.all([
      alerts.context.app.services.alertEvaluator.evaluateAll(now),
      replica.services.alertEvaluator.evaluateAll(now),
    ]);
    expect(alerts.bodiesFor(rule.id)).toHaveLength(1);
    expect((await alerts.eventsOf(org.client, rule.id)).map((event) => event.kind)).toEqual(['firing']);
  });

  it('skips disabled rules, and logs a rule that fails without stopping the others', async () => {
    const org = await alerts.orgWithKey('Mixed');
    const disabled = await alerts.createRule(org.client, {
      name: 'Off',
      enabled: false,
      webhookUrl: `${alerts.receiver.origin}/hooks/off`,
      condition: { metric: 'error_rate', thresholdPercent: 10, minRequests: 1 },
    });
    const healthy = await alerts.createRule(org.client, {
      name: 'On',
      webhookUrl: `${alerts.receiver.origin}/hooks/on`,
      condition: { metric: 'error_rate', thresholdPercent: 10, minRequests: 1 },
    });
    // A condition no API would accept, as if written by hand: measuring it throws.
    const [broken] = await alerts.context.backends.database.db
      .insert(alertRules)
      .values({ orgId: org.orgId, name: 'Broken', condition: { metric: 'error_rate' } as never })
      .returning();
    await alerts.chat(org, 'openai/fail-500');
    await alerts.rolledUp(org.orgId, 1);
    await alerts.evaluate();
    expect(await alerts.ruleNow(org.client, healthy.id)).toMatchObject({ state: 'firing' });
    expect(await alerts.ruleNow(org.client, disabled.id)).toMatchObject({ state: 'ok', lastEvaluatedAt: null });
    expect(alerts.bodiesFor(disabled.id)).toEqual([]);
    expect(alerts.context.logs.text).toContain('evaluating an alert rule failed');
    expect(alerts.context.logs.text).toContain(broken?.id);
    await alerts.context.backends.database.db.delete(alertRules).where(eq(alertRules.id, broken?.id ?? ''));
  });

  it('evaluates on its own timer, and stops', async () => {
    const org = await alerts.orgWithKey('Timed');
    const rule = await alerts.createRule(org.client, {
      name: 'Timed',
      webhookUrl: `${alerts.receiver.origin}/hooks/timed`,
      condition: { metric: 'error_rate', thresholdPercent: 10, minRequests: 1 },
    });
    await alerts.chat(org, 'openai/fail-500');
    await alerts.rolledUp(org.orgId, 1);
    const { services, log } = alerts.context.app;
    const evaluator = new AlertEvaluator({
      db: services.db,
      limits: services.limits,
      notifier: new AlertNotifier({
        db: services.db,
        webhook: new AlertWebhook({ log }),
        defaultWebhookUrl: undefined,
        registry: new Registry(),
      }),
      // The wall clock, as the gateway recorded the call by it: the app's manual clock stands still, and
      // would read the hour before the call's once the test crosses an hour boundary.
      clock: systemClock,
      log,
      publicUrl: undefined,
      intervalMs: 10,
    });
    evaluator.start();
    try {
      await expect.poll(() => alerts.bodiesFor(rule.id).length).toBe(1);
    } finally {
      await evaluator.stop();
    }
    expect(await alerts.ruleNow(org.client, rule.id)).toMatchObject({ state: 'firing' });
  });

  it('counts notifications by kind and outcome on /metrics', async () => {
    const metrics = (await alerts.context.app.inject('/metrics')).body;
    expect(metrics).toMatch(/switchyard_alert_notifications_total\{kind="firing",outcome="delivered"\} [1-9]/);
    expect(metrics).toMatch(/switchyard_alert_notifications_total\{kind="firing",outcome="withheld"\} [1-9]/);
    expect(metrics).toMatch(/switchyard_alert_notifications_total\{kind="resolved",outcome="delivered"\} [1-9]/);
  });
});
