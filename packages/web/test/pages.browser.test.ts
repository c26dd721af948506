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
});
