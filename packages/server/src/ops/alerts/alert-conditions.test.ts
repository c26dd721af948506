import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertFixture, CALL_COST_USD, startAlertFixture } from '../../../test/alert-fixture.js';
import { createKey, signUp } from '../../../test/test-app.js';

let alerts: AlertFixture;
beforeAll(async () => {
  alerts = await startAlertFixture();
});
afterAll(() => alerts?.close());

describe('alert conditions, measured from real gateway traffic', () => {
  it('fires a p95 latency rule from the merged latency histograms', async () => {
    const org = await alerts.orgWithKey('Slowpoke');
    const rule = await alerts.createRule(org.client, {
      name: 'Slow answers',
      webhookUrl: `${alerts.receiver.origin}/hooks/latency`,
      condition: { metric: 'p95_latency', thresholdMs: 400, minRequests: 5 },
    });
    await alerts.chat(org, 'openai/gpt-4o-mini', 5);
    await alerts.rolledUp(org.orgId, 5);
    await alerts.evaluate();
    const fast = await alerts.ruleNow(org.client, rule.id);
    expect(fast.state).toBe('ok');
    expect(fast.lastValue).toBeLessThan(400);

    await Promise.all([1, 2, 3].map(() => alerts.chat(org, 'openai/slow-600')));
    await alerts.rolledUp(org.orgId, 8);
    await alerts.evaluate();
    const slow = await alerts.ruleNow(org.client, rule.id);
    expect(slow.state).toBe('firing');
    // Three of eight calls took 500–1,000 ms: the 95th percentile lies in that bucket.
    expect(slow.lastValue).toBeGreaterThan(500);
    expect(slow.lastValue).toBeLessThanOrEqual(1_000);
    expect(alerts.bodiesFor(rule.id)[0]?.text).toMatch(
      /^🔴 FIRING: p95 latency [\d,]+ ms > 400 ms over 1h \(8 requests\)/,
    );
  });

  it('fires spend rules at their threshold, sending to ALERT_WEBHOOK_URL when a rule has no webhook', async () => {
    const org = await alerts.orgWithKey('Spendy');
    const threshold = CALL_COST_USD * 1.5;
    const today = await alerts.createRule(org.client, {
      name: 'Spend today',
      condition: { metric: 'spend', thresholdUsd: threshold, period: 'day' },
    });
    const month = await alerts.createRule(org.client, {
      name: 'Spend this month',
      condition: { metric: 'spend', thresholdUsd: threshold, period: 'month' },
    });
    await alerts.chat(org, 'openai/gpt-4o-mini');
    await alerts.rolledUp(org.orgId, 1);
    await alerts.evaluate();
    expect((await alerts.ruleNow(org.client, today.id)).lastValue).toBeCloseTo(CALL_COST_USD, 12);
    expect(alerts.bodiesFor(today.id)).toEqual([]);

    await alerts.chat(org, 'openai/gpt-4o-mini');
    await alerts.rolledUp(org.orgId, 2);
    await alerts.evaluate();
    for (const rule of [today, month]) {
      expect(await alerts.ruleNow(org.client, rule.id)).toMatchObject({ state: 'firing' });
      expect((await alerts.ruleNow(org.client, rule.id)).lastValue).toBeCloseTo(2 * CALL_COST_USD, 12);
    }
    const fallback = alerts.receiver.bodiesAt('/default').filter((body) => body.switchyard.orgId === org.orgId);
    expect(fallback.map((body) => body.switchyard.ruleId).sort()).toEqual([today.id, month.id].sort());
    expect(alerts.bodiesFor(today.id)[0]?.text).toMatch(
      /^🔴 FIRING: Spend today \$[\d.]+ ≥ \$[\d.]+ — Spend today \(org Spendy\)/,
    );
    expect(alerts.bodiesFor(month.id)[0]?.text).toMatch(/^🔴 FIRING: Spend this month /);
  });

  it('fires a key budget rule naming the key, measured as the limit guard measures it', async () => {
    const { client, orgId } = await signUp(alerts.context.app, { orgName: 'Budgeted' });
    const budgeted = await createKey(client, {
      name: 'checkout',
      scopes: ['gateway'],
      // Room for each call's hold (its bytes and max_tokens at list price) on top of what is spent.
      budgetUsd: 10 * CALL_COST_USD,
      budgetPeriod: 'day',
    });
    await createKey(client, { name: 'no budget', scopes: ['gateway'] });
    const rule = await alerts.createRule(client, {
      name: 'Budgets',
      webhookUrl: `${alerts.receiver.origin}/hooks/budget`,
      condition: { metric: 'key_budget', thresholdPercent: 15 },
    });
    const spent = async (calls: number) =>
      expect
        .poll(async () => {
          const spend = await alerts.context.app.services.limits.spendThisPeriod({
            orgId,
            keyId: budgeted.id,
            period: 'day',
          });
          return spend.spendUsd;
        })
        .toBeCloseTo(calls * CALL_COST_USD, 12);

    await alerts.chat(budgeted, 'openai/gpt-4o-mini');
    await spent(1);
    await alerts.evaluate();
    const tenth = await alerts.ruleNow(client, rule.id);
    expect(tenth.state).toBe('ok');
    expect(tenth.lastValue).toBeCloseTo(10, 6);

    await alerts.chat(budgeted, 'openai/gpt-4o-mini');
    await spent(2);
    await alerts.evaluate();
    const fifth = await alerts.ruleNow(client, rule.id);
    expect(fifth.state).toBe('firing');
    expect(fifth.lastValue).toBeCloseTo(20, 6);
    const [body] = alerts.bodiesFor(rule.id);
    expect(body?.text).toMatch(/^🔴 FIRING: API key budget ≥ 15%: "checkout" 20(\.0)?% of its \$[\d.]+ daily budget/);
    expect(body?.text).not.toContain('no budget');
    expect(body?.switchyard).toMatchObject({ metric: 'key_budget', threshold: 15 });
  });
});
