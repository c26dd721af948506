import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type BrowserRig, screenshot, signUpInBrowser, startRig, watchForErrors } from './browser.js';

let rig: BrowserRig;

beforeAll(async () => {
  rig = await startRig();
});

afterAll(async () => rig?.close());

/** A cookie-authenticated API call from the page, as the app makes it. */
async function callApi(page: Page, request: { method: string; path: string; body?: unknown }): Promise<number> {
  return page.evaluate(async ({ method, path, body }) => {
    const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
    const headers: Record<string, string> = { 'x-csrf-token': me.csrfToken };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.status;
  }, request);
}

/** A local webhook receiver: every JSON body POSTed to it, in order. */
async function startWebhookReceiver() {
  const bodies: unknown[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      text += chunk;
    });
    request.on('end', () => {
      bodies.push(JSON.parse(text));
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { bodies, host: `127.0.0.1:${port}`, close: () => server.close() };
}

/** Invites `email` with `role` from the signed-in admin's page; answers with the sign-up token. */
async function invite(page: Page, options: { email: string; role: string }): Promise<string> {
  return page.evaluate(async (body) => {
    const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
    const response = await fetch('/api/invitations', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: JSON.stringify(body),
    });
    return ((await response.json()) as { token: string }).token;
  }, options);
}

async function openFromMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).first().textContent()).toBe(name);
}

describe('every page, in Chromium, against real data', () => {
  it('shows the sign-in pages, then providers, usage, members and settings with what the org has', async () => {
    const page = await rig.newPage({ viewport: { width: 1280, height: 900 } });
    onTestFailed(() => screenshot(page, `failed-${expect.getState().currentTestName?.slice(0, 40) ?? 'test'}`));
    const errors = watchForErrors(page);
    await page.goto(`${rig.server.url}/login`);
    await screenshot(page, 'login');
    await page.goto(`${rig.server.url}/signup`);
    await screenshot(page, 'signup');
    const { email } = await signUpInBrowser(page, { baseUrl: rig.server.url });

    expect(
      await callApi(page, {
        method: 'POST',
        path: '/api/routes',
        body: { alias: 'chat', targets: [{ model: 'mock/echo' }] },
      }),
    ).toBe(201);
    expect(
      await callApi(page, {
        method: 'POST',
        path: '/api/keys',
        body: { name: 'budgeted', budgetUsd: 5, budgetPeriod: 'month' },
      }),
    ).toBe(201);
    expect(
      await callApi(page, {
        method: 'POST',
        path: '/api/invitations',
        body: { email: 'new@example.com', role: 'member' },
      }),
    ).toBe(201);

    // Providers & routes: the alias is listed, and one click sends a request through the gateway.
    await openFromMenu(page, 'Providers & routes');
    await page.getByRole('button', { name: 'Test chat' }).click();
    await expect
      .poll(() => page.locator('.gateway-test-result').textContent(), { timeout: 15_000 })
      .toContain('answered by');
    await screenshot(page, 'providers');

    // Usage & limits: the key's budget, with the spend so far.
    await openFromMenu(page, 'Usage & limits');
    await expect.poll(() => page.locator('main').textContent()).toContain('budgeted');
    expect(await page.locator('main').textContent()).toContain('$5.00');
    await screenshot(page, 'usage');

    // Members: the owner, and the pending invitation.
    await openFromMenu(page, 'Members');
    await expect.poll(() => page.locator('main').textContent()).toContain('new@example.com');
    expect(await page.locator('main').textContent()).toContain(email);
    await screenshot(page, 'members');

    // Settings: renaming the org shows in the menu.
    await openFromMenu(page, 'Settings');
    const name = page.getByLabel('Name', { exact: true });
    await name.fill('Renamed Org');
    await page.getByRole('button', { name: /save/i }).first().click();
    await expect.poll(() => page.locator('.org-switcher').textContent()).toContain('Renamed Org');
    await screenshot(page, 'settings');

    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('creates an alert, sends a test to its webhook and lists the event; a viewer only sees them', async () => {
    const receiver = await startWebhookReceiver();
    try {
      const page = await rig.newPage({ viewport: { width: 1280, height: 900 } });
      onTestFailed(() => screenshot(page, 'failed-alerts'));
      const errors = watchForErrors(page);
      // The one who signs up owns the org, which includes an admin's rights.
      await signUpInBrowser(page, { baseUrl: rig.server.url });

      await openFromMenu(page, 'Alerts');
      await expect.poll(() => page.getByRole('heading', { name: 'No alerts yet' }).count()).toBe(1);
      await screenshot(page, 'alerts-empty');
      await page.getByRole('button', { name: 'Create the first alert' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Gateway errors');
      expect(await page.getByLabel('Metric').inputValue()).toBe('error_rate');
      await page.getByLabel('Threshold (%)').fill('5');
      await page.getByLabel('Webhook URL').fill(`http://${receiver.host}/hooks/secret-path`);
      await page.getByRole('button', { name: 'Create alert' }).click();

      const row = page.getByTestId('alert-row');
      await expect.poll(() => row.count()).toBe(1);
      const rowText = await row.textContent();
      expect(rowText).toContain('Gateway errors');
      expect(rowText).toContain('Error rate > 5% over 1 h (min 10 requests)');
      expect(rowText).toContain('OK');
      // Only the webhook's host is shown: its path is the secret.
      expect(rowText).toContain(receiver.host);
      expect(rowText).not.toContain('secret-path');

      await row.getByRole('button', { name: 'Send test' }).click();
      await expect.poll(() => receiver.bodies.length).toBe(1);
      expect(receiver.bodies[0]).toEqual(expect.objectContaining({ text: expect.any(String) }));
      const event = page.getByTestId('alert-event');
      await expect.poll(() => event.count()).toBe(1);
      expect(await event.textContent()).toMatch(/test.*delivered/);
      await screenshot(page, 'alerts');
      expect(errors, errors.join('\n')).toEqual([]);

      const token = await invite(page, { email: 'alerts-viewer@example.com', role: 'viewer' });
      const viewer = await (await rig.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await signUpInBrowser(viewer, { baseUrl: rig.server.url, invite: token, email: 'alerts-viewer@example.com' });
      await viewer.goto(`${rig.server.url}/alerts`);
      await expect.poll(() => viewer.getByTestId('alert-row').count()).toBe(1);
      for (const name of ['New alert', 'Send test', 'Edit', 'Delete']) {
        expect(await viewer.getByRole('button', { name }).count(), name).toBe(0);
      }
      expect(await viewer.getByRole('switch').count()).toBe(0);
      await screenshot(viewer, 'alerts-as-viewer');

      // Back as the admin: switch the rule off, then delete it behind the confirmation.
      const enabled = page.getByRole('switch', { name: 'Enabled: Gateway errors' });
      await enabled.click();
      await expect.poll(() => enabled.isChecked()).toBe(false);
      await row.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete alert' }).click();
      await expect.poll(() => page.getByRole('heading', { name: 'No alerts yet' }).count()).toBe(1);
      expect(errors, errors.join('\n')).toEqual([]);
    } finally {
      receiver.close();
    }
  });
});
