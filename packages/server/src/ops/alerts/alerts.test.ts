import { type AlertRule, alertEventSchema, alertRuleSchema, apiErrorSchema, pageSchema } from '@switchyard/shared';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, type SessionClient, signUp, type TestContext } from '../../../test/test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/webhook-receiver.js';
import { alertEvents } from '../../db/schema.js';
import { NO_WEBHOOK } from './alert-notifier.js';
import { insertAlertEvent, pruneAlertEvents } from './alert-store.js';

let context: TestContext;
let receiver: WebhookReceiver;
let owner: SessionClient;
let orgId: string;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  context = await createTestApp({ env: { PUBLIC_URL: 'https://switchyard.example' } });
  // These tests look at the API; the evaluator's timer stays out of their way.
  await context.app.services.alertEvaluator.stop();
  ({ client: owner, orgId } = await signUp(context.app, { orgName: 'Acme' }));
});
afterAll(async () => {
  await context?.close();
  await receiver?.close();
});

const errorRateRule = (overrides: Record<string, unknown> = {}) => ({
  name: 'Gateway errors',
  condition: { metric: 'error_rate', thresholdPercent: 5 },
  ...overrides,
});

async function createRule(client: SessionClient, body: Record<string, unknown> = errorRateRule()): Promise<AlertRule> {
  const response = await client.request('POST', '/api/alerts', body);
  expect(response.statusCode, response.body).toBe(201);
  return alertRuleSchema.parse(response.json());
}

/** Someone who joined the owner's org with `role`, signed in. */
async function memberWithRole(role: 'viewer' | 'member' | 'admin'): Promise<SessionClient> {
  const person = await signUp(context.app);
  const invitation = (await owner.request('POST', '/api/invitations', { email: person.email, role })).json();
  const accepted = await person.client.request('POST', '/api/invitations/accept', { token: invitation.token });
  expect(accepted.statusCode).toBe(200);
  return person.client;
}

describe('alert rules API', () => {
  it('creates a rule with the defaults filled in, reads, lists, changes and deletes it', async () => {
    const created = await createRule(owner);
    expect(created).toMatchObject({
      name: 'Gateway errors',
      enabled: true,
      webhookUrl: null,
      cooldownMinutes: 60,
      condition: { metric: 'error_rate', thresholdPercent: 5, windowHours: 1, minRequests: 10 },
      state: 'ok',
      lastValue: null,
      lastEvaluatedAt: null,
      firingSince: null,
      lastNotifiedAt: null,
    });

    const read = await owner.request('GET', `/api/alerts/${created.id}`);
    expect(alertRuleSchema.parse(read.json())).toEqual(created);
    const list = pageSchema(alertRuleSchema).parse((await owner.request('GET', '/api/alerts')).json());
    expect(list.data.map((rule) => rule.id)).toContain(created.id);

    const patched = await owner.request('PATCH', `/api/alerts/${created.id}`, {
      enabled: false,
      webhookUrl: `${receiver.origin}/hooks/ops`,
      condition: { metric: 'spend', thresholdUsd: 25 },
    });
    expect(patched.statusCode).toBe(200);
    expect(alertRuleSchema.parse(patched.json())).toMatchObject({
      name: 'Gateway errors',
      enabled: false,
      webhookUrl: `${receiver.origin}/hooks/ops`,
      condition: { metric: 'spend', thresholdUsd: 25, period: 'day' },
    });

    // A PATCH changes only what it names.
    const renamed = await owner.request('PATCH', `/api/alerts/${created.id}`, { name: 'Renamed' });
    expect(alertRuleSchema.parse(renamed.json())).toMatchObject({
      name: 'Renamed',
      enabled: false,
      webhookUrl: `${receiver.origin}/hooks/ops`,
      cooldownMinutes: 60,
    });
    const quiet = await owner.request('PATCH', `/api/alerts/${created.id}`, { cooldownMinutes: 5 });
    expect(alertRuleSchema.parse(quiet.json())).toMatchObject({ webhookUrl: `${receiver.origin}/hooks/ops` });

    expect((await owner.request('DELETE', `/api/alerts/${created.id}`)).statusCode).toBe(204);
    expect((await owner.request('GET', `/api/alerts/${created.id}`)).statusCode).toBe(404);
    expect((await owner.request('DELETE', `/api/alerts/${created.id}`)).statusCode).toBe(404);
  });

  it('pages through rules newest first', async () => {
    const { client } = await signUp(context.app);
    const rules = [];
    for (const name of ['one', 'two', 'three']) rules.push(await createRule(client, errorRateRule({ name })));
    const first = (await client.request('GET', '/api/alerts?limit=2')).json();
    expect(first.data.map((rule: AlertRule) => rule.name)).toEqual(['three', 'two']);
    const second = (await client.request('GET', `/api/alerts?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ data: [{ name: 'one' }], nextCursor: null });
  });

  it.each([
    [
      'a threshold out of range',
      errorRateRule({ condition: { metric: 'error_rate', thresholdPercent: 150 } }),
      'condition.thresholdPercent',
    ],
    ['an unknown metric', errorRateRule({ condition: { metric: 'cpu', thresholdPercent: 5 } }), 'condition.metric'],
    ['a webhook that is not http(s)', errorRateRule({ webhookUrl: 'ftp://hooks.example/x' }), 'webhookUrl'],
    ['an empty name', errorRateRule({ name: ' ' }), 'name'],
    ['a negative cool-down', errorRateRule({ cooldownMinutes: -1 }), 'cooldownMinutes'],
    [
      'a window over a week',
      errorRateRule({ condition: { metric: 'p95_latency', thresholdMs: 500, windowHours: 169 } }),
      'condition.windowHours',
    ],
  ])('refuses %s with a 400 naming the field', async (_what, body, field) => {
    const response = await owner.request('POST', '/api/alerts', body);
    expect(response.statusCode).toBe(400);
    const error = apiErrorSchema.parse(response.json()).error;
    expect(error.message).toContain(`body.${field}`);
  });

  it('refuses an empty PATCH and answers 404 for an unknown rule', async () => {
    const rule = await createRule(owner);
    const empty = await owner.request('PATCH', `/api/alerts/${rule.id}`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('at least one field');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await owner.request('GET', `/api/alerts/${unknown}`)).statusCode).toBe(404);
    expect((await owner.request('PATCH', `/api/alerts/${unknown}`, { name: 'x' })).statusCode).toBe(404);
    expect((await owner.request('POST', `/api/alerts/${unknown}/test`)).statusCode).toBe(404);
    expect((await owner.request('GET', `/api/alerts/${unknown}/events`)).statusCode).toBe(404);
    expect((await owner.request('GET', '/api/alerts/not-a-uuid')).statusCode).toBe(400);
  });

  it('refuses a key budget rule on a key of another org, or on a key without a budget', async () => {
    const other = await signUp(context.app);
    const foreignKey = await createKey(other.client, { budgetUsd: 5, budgetPeriod: 'day' });
    const unbudgeted = await createKey(owner, { name: 'no budget' });
    const budgeted = await createKey(owner, { name: 'budgeted', budgetUsd: 5, budgetPeriod: 'month' });
    const bodyFor = (apiKeyId: string) => ({
      name: 'Key budget',
      condition: { metric: 'key_budget', thresholdPercent: 80, apiKeyId },
    });

    for (const keyId of [foreignKey.id, unbudgeted.id]) {
      const response = await owner.request('POST', '/api/alerts', bodyFor(keyId));
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toMatch(/^body\.condition\.apiKeyId: /);
    }
    const rule = await createRule(owner, bodyFor(budgeted.id));
    const patched = await owner.request('PATCH', `/api/alerts/${rule.id}`, {
      condition: bodyFor(foreignKey.id).condition,
    });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().error.message).toMatch(/^body\.condition\.apiKeyId: /);
  });

  it('lets every member read rules and only admins and owners create, change, delete or test them', async () => {
    const rule = await createRule(
      owner,
      errorRateRule({ webhookUrl: 'https://hooks.slack.example/services/T0/B0/SECRET' }),
    );
    for (const role of ['viewer', 'member'] as const) {
      const client = await memberWithRole(role);
      expect((await client.request('GET', '/api/alerts')).statusCode).toBe(200);
      const read = await client.request('GET', `/api/alerts/${rule.id}`);
      expect(read.statusCode).toBe(200);
      // Only admins see a webhook URL's secret path.
      expect(read.json().webhookUrl).toBe('https://hooks.slack.example/…');
      expect((await client.request('GET', `/api/alerts/${rule.id}/events`)).statusCode).toBe(200);
      const refusals = [
        await client.request('POST', '/api/alerts', errorRateRule()),
        await client.request('PATCH', `/api/alerts/${rule.id}`, { name: 'renamed' }),
        await client.request('DELETE', `/api/alerts/${rule.id}`),
        await client.request('POST', `/api/alerts/${rule.id}/test`),
      ];
      expect(refusals.map((response) => response.statusCode)).toEqual([403, 403, 403, 403]);
    }
    const admin = await memberWithRole('admin');
    expect((await admin.request('GET', `/api/alerts/${rule.id}`)).json().webhookUrl).toBe(
      'https://hooks.slack.example/services/T0/B0/SECRET',
    );
    expect((await admin.request('PATCH', `/api/alerts/${rule.id}`, { name: 'renamed' })).statusCode).toBe(200);

    const adminKey = await createKey(owner, { scopes: ['admin'] });
    const byKey = await context.app.inject({
      method: 'POST',
      url: '/api/alerts',
      headers: { authorization: `Bearer ${adminKey.secret}` },
      payload: errorRateRule({ name: 'made by a key' }),
    });
    expect(byKey.statusCode).toBe(201);
    const gatewayKey = await createKey(owner, { scopes: ['gateway'] });
    const refused = await context.app.inject({
      url: '/api/alerts',
      headers: { authorization: `Bearer ${gatewayKey.secret}` },
    });
    expect(refused.statusCode).toBe(403);
  });

  it('sends a test message to the rule’s webhook and records it', async () => {
    const rule = await createRule(
      owner,
      errorRateRule({ name: 'Checkout errors', webhookUrl: `${receiver.origin}/hooks/test` }),
    );
    const response = await owner.request('POST', `/api/alerts/${rule.id}/test`);
    expect(response.statusCode).toBe(200);
    const event = alertEventSchema.parse(response.json());
    expect(event).toMatchObject({ ruleId: rule.id, kind: 'test', delivered: true, deliveryError: null });

    const [body] = receiver.bodiesAt('/hooks/test');
    expect(body?.text).toMatch(
      /^🧪 TEST: Checkout errors \(org Acme\) — notifications for "Error rate > 5% over 1 h \(min 10 requests\)"/,
    );
    expect(body?.text).toContain('https://switchyard.example/alerts');
    expect(body?.attachments[0]).toMatchObject({
      title: 'Checkout errors',
      title_link: 'https://switchyard.example/alerts',
    });
    expect(body?.switchyard).toMatchObject({
      ruleId: rule.id,
      orgId,
      kind: 'test',
      metric: 'error_rate',
      threshold: 5,
    });
    expect(receiver.received.find((entry) => entry.path === '/hooks/test')?.contentType).toBe('application/json');
    expect(event.message).toBe(body?.text);

    // A test changes neither the state nor the cool-down.
    const after = alertRuleSchema.parse((await owner.request('GET', `/api/alerts/${rule.id}`)).json());
    expect(after).toMatchObject({ state: 'ok', lastNotifiedAt: null });
  });

  it('records a test with no webhook anywhere as not sent, saying what to set', async () => {
    const rule = await createRule(owner);
    const event = alertEventSchema.parse((await owner.request('POST', `/api/alerts/${rule.id}/test`)).json());
    expect(event).toMatchObject({ delivered: null, deliveryError: NO_WEBHOOK });
  });

  it('records a failing webhook as not delivered, with the reason, after 3 attempts, logging only its host', async () => {
    const secretPath = '/status-500/services/T000/B000/SECRET-TOKEN';
    const rule = await createRule(owner, errorRateRule({ webhookUrl: `${receiver.origin}${secretPath}` }));
    const event = alertEventSchema.parse((await owner.request('POST', `/api/alerts/${rule.id}/test`)).json());
    expect(event).toMatchObject({ delivered: false, deliveryError: 'HTTP 500: no_service (after 3 attempts)' });
    expect(receiver.bodiesAt(secretPath)).toHaveLength(3);
    expect(context.logs.text).toContain('alert webhook delivery failed');
    expect(context.logs.text).toContain(new URL(receiver.origin).host);
    expect(context.logs.text).not.toContain('SECRET-TOKEN');

    const unreachable = await createRule(owner, errorRateRule({ webhookUrl: 'http://127.0.0.1:9/hook' }));
    const refused = alertEventSchema.parse((await owner.request('POST', `/api/alerts/${unreachable.id}/test`)).json());
    expect(refused).toMatchObject({ delivered: false });
    expect(refused.deliveryError).toMatch(/^could not connect \(ECONNREFUSED\) \(after 3 attempts\)$/);
  });

  it('lists a rule’s events newest first, page by page, and deletes them with the rule', async () => {
    const rule = await createRule(owner, errorRateRule({ webhookUrl: `${receiver.origin}/hooks/events` }));
    const sent = [];
    for (let count = 0; count < 3; count++) {
      sent.push((await owner.request('POST', `/api/alerts/${rule.id}/test`)).json().id);
      context.clock.advance(1_000);
    }
    const first = pageSchema(alertEventSchema).parse(
      (await owner.request('GET', `/api/alerts/${rule.id}/events?limit=2`)).json(),
    );
    expect(first.data.map((event) => event.id)).toEqual([sent[2], sent[1]]);
    const second = pageSchema(alertEventSchema).parse(
      (await owner.request('GET', `/api/alerts/${rule.id}/events?limit=2&cursor=${first.nextCursor}`)).json(),
    );
    expect(second).toEqual({ data: [expect.objectContaining({ id: sent[0] })], nextCursor: null });

    expect((await owner.request('DELETE', `/api/alerts/${rule.id}`)).statusCode).toBe(204);
    const left = await context.backends.database.db.select().from(alertEvents).where(eq(alertEvents.ruleId, rule.id));
    expect(left).toEqual([]);
  });

  it('forgets events older than 90 days, keeping the newer ones', async () => {
    const rule = await createRule(owner, errorRateRule());
    const now = context.clock.now();
    const event = (daysAgo: number) =>
      insertAlertEvent(context.backends.database.db, {
        orgId,
        ruleId: rule.id,
        kind: 'test',
        value: null,
        message: `${daysAgo} days ago`,
        delivered: true,
        deliveryError: null,
        createdAt: new Date(now - daysAgo * 24 * 3600_000),
      });
    await event(91);
    const recent = await event(89);
    expect(await pruneAlertEvents(context.backends.database.db, now)).toBe(1);
    const listed = pageSchema(alertEventSchema).parse(
      (await owner.request('GET', `/api/alerts/${rule.id}/events`)).json(),
    );
    expect(listed.data.map((item) => item.id)).toEqual([recent.id]);
  });

  it('documents the alert routes in the OpenAPI spec behind /docs', async () => {
    const spec = (await context.app.inject('/docs/json')).json();
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/alerts', '/api/alerts/{id}', '/api/alerts/{id}/events', '/api/alerts/{id}/test']),
    );
    expect(spec.paths['/api/alerts'].post.requestBody.content['application/json'].schema.properties).toHaveProperty(
      'condition',
    );
  });
});
