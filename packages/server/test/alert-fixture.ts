import {
  type AlertEvent,
  type AlertRule,
  alertEventSchema,
  alertRuleSchema,
  computeCostUsd,
  findPrice,
  pageSchema,
} from '@switchyard/shared';
import { FAKE_USAGE, type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { createKey, createTestApp, type SessionClient, setServerPrice, signUp, type TestContext } from './test-app.js';
import { startWebhookReceiver, type WebhookBody, type WebhookReceiver } from './webhook-receiver.js';

/** What one call to the fake upstream costs, priced as the gateway prices it. */
export const CALL_COST_USD = computeCostUsd(findPrice('openai/gpt-4o-mini'), {
  inputTokens: FAKE_USAGE.prompt_tokens,
  outputTokens: FAKE_USAGE.completion_tokens,
  cachedInputTokens: FAKE_USAGE.prompt_tokens_details.cached_tokens,
}) as number;

export type AlertOrg = { client: SessionClient; orgId: string; secret: string };

export type AlertFixture = {
  context: TestContext;
  receiver: WebhookReceiver;
  /** A new org (free plan) with a gateway key. */
  orgWithKey(orgName: string): Promise<AlertOrg>;
  /** Calls through the real gateway; `openai/fail-500` fails upstream, `openai/slow-<ms>` takes its time. */
  chat(org: { secret: string }, model: string, times?: number): Promise<void>;
  /** Waits until the org's hourly rollups count `requests` calls. */
  rolledUp(orgId: string, requests: number): Promise<void>;
  /** One evaluation pass, `minutes` from now (the gateway records calls at the wall clock's time). */
  evaluate(minutes?: number): Promise<void>;
  /** A rule made through the API; the cool-down is 0 unless the body sets one. */
  createRule(client: SessionClient, body: Record<string, unknown>): Promise<AlertRule>;
  ruleNow(client: SessionClient, id: string): Promise<AlertRule>;
  eventsOf(client: SessionClient, id: string): Promise<AlertEvent[]>;
  /** Every webhook body sent about one rule, in order. */
  bodiesFor(ruleId: string): WebhookBody[];
  close(): Promise<void>;
};

/**
 * An app whose gateway calls a fake OpenAI upstream, with ALERT_WEBHOOK_URL and every rule's webhook
 * on a loopback receiver. Its evaluator's timer is stopped: tests evaluate at the times they choose.
 */
export async function startAlertFixture(): Promise<AlertFixture> {
  const upstream: FakeOpenAi = await startFakeOpenAi();
  const receiver = await startWebhookReceiver();
  const context = await createTestApp({
    env: {
      OPENAI_API_KEY: upstream.apiKey,
      OPENAI_BASE_URL: upstream.baseUrl,
      ALERT_WEBHOOK_URL: `${receiver.origin}/default`,
      PUBLIC_URL: 'https://switchyard.example',
    },
  });
  await context.app.services.alertEvaluator.stop();
  const { app } = context;
  // The fake upstream's made-up models: the orgs here are on the free plan, whose cap refuses unpriced ones.
  await setServerPrice(app, { model: 'openai/fail-*', input: 0.1, output: 0.1 });
  await setServerPrice(app, { model: 'openai/slow-*', input: 0.1, output: 0.1 });

  return {
    context,
    receiver,
    orgWithKey: async (orgName) => {
      const { client, orgId } = await signUp(app, { orgName });
      const { secret } = await createKey(client, { scopes: ['gateway'] });
      return { client, orgId, secret };
    },
    chat: async (org, model, times = 1) => {
      for (let call = 0; call < times; call++) {
        await app.inject({
          method: 'POST',
          url: '/v1/chat/completions',
          headers: { authorization: `Bearer ${org.secret}` },
          // A small max_tokens keeps each call's budget hold small (the fake answers 5 tokens).
          payload: { model, messages: [{ role: 'user', content: 'Hi' }], max_tokens: 5 },
        });
      }
    },
    rolledUp: async (orgId, requests) => {
      await expect
        .poll(async () => {
          await app.services.batchWriter.flush();
          const result = (await context.backends.database.db.execute(
            sql`select coalesce(sum(requests), 0)::int as requests from usage_rollups where org_id = ${orgId}`,
          )) as { rows: Array<{ requests: number }> };
          return Number(result.rows[0]?.requests);
        })
        .toBe(requests);
    },
    evaluate: (minutes = 0) => app.services.alertEvaluator.evaluateAll(new Date(Date.now() + minutes * 60_000)),
    createRule: async (client, body) => {
      const response = await client.request('POST', '/api/alerts', { cooldownMinutes: 0, ...body });
      expect(response.statusCode, response.body).toBe(201);
      return alertRuleSchema.parse(response.json());
    },
    ruleNow: async (client, id) => alertRuleSchema.parse((await client.request('GET', `/api/alerts/${id}`)).json()),
    eventsOf: async (client, id) =>
      pageSchema(alertEventSchema).parse((await client.request('GET', `/api/alerts/${id}/events`)).json()).data,
    bodiesFor: (ruleId) =>
      receiver.received.filter((entry) => entry.body.switchyard?.ruleId === ruleId).map((entry) => entry.body),
    close: async () => {
      await context.close();
      await receiver.close();
      await upstream.close();
    },
  };
}
