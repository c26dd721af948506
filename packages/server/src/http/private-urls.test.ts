import { type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, type SessionClient, signUp, type TestContext } from '../../test/test-app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhook-receiver.js';
import { alertRules, providerCredentials } from '../db/schema.js';

/**
 * With ALLOW_PRIVATE_URLS unset, what an org admin types cannot make the server call inside its own
 * network: refused when saved, and refused again when connecting (for names that resolve inside).
 */
let context: TestContext;
let upstream: FakeOpenAi;
let receiver: WebhookReceiver;
let owner: SessionClient;
let secret: string;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  receiver = await startWebhookReceiver();
  context = await createTestApp({
    env: { ALLOW_PRIVATE_URLS: 'false', ALERT_WEBHOOK_URL: `${receiver.origin}/operator` },
  });
  ({ client: owner } = await signUp(context.app, { orgName: 'Walled' }));
  ({ secret } = await createKey(owner, { scopes: ['gateway'] }));
});
afterAll(async () => {
  await context?.close();
  await receiver?.close();
  await upstream?.close();
});

const provider = (baseUrl: string) => ({ name: 'house', kind: 'openai-compatible', baseUrl, apiKey: 'sk-house' });

describe('org URLs and private addresses', () => {
  it.each([
    ['cloud metadata', 'http://169.254.169.254/latest', '169.254.169.254'],
    ['this server', 'http://localhost:8080/v1', 'localhost'],
    ['a private network', 'http://10.1.2.3:11434/v1', '10.1.2.3'],
  ])('refuses a provider base URL pointing at %s, naming the field and the variable', async (_what, url, host) => {
    const response = await owner.request('POST', '/api/providers', provider(url));
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain('body.baseUrl');
    expect(response.json().error.message).toContain(host);
    expect(response.json().error.message).toContain('ALLOW_PRIVATE_URLS=true');
    expect((await owner.request('GET', '/api/providers')).json().data).toEqual([]);
  });

  it('refuses an alert webhook on a private address, on create and on change', async () => {
    const body = {
      name: 'Errors',
      webhookUrl: 'http://192.168.0.10/hook',
      condition: { metric: 'error_rate', thresholdPercent: 5 },
    };
    const created = await owner.request('POST', '/api/alerts', body);
    expect(created.statusCode).toBe(400);
    expect(created.json().error.message).toMatch(/^body\.webhookUrl: points at 192\.168\.0\.10/);

    const allowed = await owner.request('POST', '/api/alerts', { ...body, webhookUrl: 'https://hooks.example.com/x' });
    expect(allowed.statusCode, allowed.body).toBe(201);
    const changed = await owner.request('PATCH', `/api/alerts/${allowed.json().id}`, {
      webhookUrl: 'http://[::1]:9000/hook',
    });
    expect(changed.statusCode).toBe(400);
    expect((await owner.request('GET', `/api/alerts/${allowed.json().id}`)).json().webhookUrl).toBe(
      'https://hooks.example.com/x',
    );
  });

  it('refuses at connection time a provider whose name resolves inside, and the upstream hears nothing', async () => {
    const created = await owner.request('POST', '/api/providers', provider('https://llm.example.com/v1'));
    expect(created.statusCode, created.body).toBe(201);
    // As if the name had been re-pointed at this machine after it was saved.
    const inside = upstream.baseUrl.replace('127.0.0.1', 'localhost');
    await context.backends.database.db
      .update(providerCredentials)
      .set({ baseUrl: inside })
      .where(eq(providerCredentials.id, created.json().id));

    const response = await context.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${secret}` },
      payload: { model: 'house/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] },
    });
    expect(response.statusCode).toBe(502);
    expect(response.json().error).toMatchObject({
      code: 'upstream_unreachable',
      message: expect.stringContaining('resolves to 127.0.0.1, a private or local address'),
    });
    expect(upstream.received).toEqual([]);
  });

  it('refuses at delivery a rule webhook that resolves inside, while the operator’s ALERT_WEBHOOK_URL is reached', async () => {
    const rule = (
      await owner.request('POST', '/api/alerts', {
        name: 'Own hook',
        webhookUrl: 'https://hooks.example.com/own',
        condition: { metric: 'error_rate', thresholdPercent: 5 },
      })
    ).json();
    await context.backends.database.db
      .update(alertRules)
      .set({ webhookUrl: `${receiver.origin.replace('127.0.0.1', 'localhost')}/own` })
      .where(eq(alertRules.id, rule.id));
    const own = await owner.request('POST', `/api/alerts/${rule.id}/test`);
    expect(own.json()).toMatchObject({ delivered: false, deliveryError: expect.stringContaining('private or local') });

    const operators = (
      await owner.request('POST', '/api/alerts', {
        name: 'Operator hook',
        condition: { metric: 'error_rate', thresholdPercent: 5 },
      })
    ).json();
    const viaOperator = await owner.request('POST', `/api/alerts/${operators.id}/test`);
    expect(viaOperator.json()).toMatchObject({ delivered: true });
    expect(receiver.received.map((entry) => entry.path)).toEqual(['/operator']);
  });
});
