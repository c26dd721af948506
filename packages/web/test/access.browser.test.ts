import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserRig, screenshot, signUpInBrowser, startRig, watchForErrors } from './browser.js';

let rig: BrowserRig;

beforeAll(async () => {
  rig = await startRig();
});

afterAll(async () => rig?.close());

/** A POST from the page as its signed-in user (cookie and CSRF token, as the app sends them); the JSON answer. */
async function postAsUser<T>(page: Page, path: string, body: unknown): Promise<T> {
  return page.evaluate(
    async ({ path, body, token }) => {
      const response = await fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify(body),
      });
      return response.json();
    },
    { path, body, token: await csrfToken(page) },
  ) as Promise<T>;
}

/** The signed-in user's CSRF token, as the app reads it. */
async function csrfToken(page: Page): Promise<string> {
  return page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { csrfToken: string }).csrfToken);
}

describe('signing in, roles and delivery, in Chromium', () => {
  it('sends a signed-out visitor to log in, says what is wrong, then returns to the page asked for', async () => {
    const context = await rig.newContext();
    const owner = await context.newPage();
    const { email } = await signUpInBrowser(owner, { baseUrl: rig.server.url });
    await context.close();

    const page = await rig.newPage();
    const errors = watchForErrors(page);
    await page.goto(`${rig.server.url}/requests?status=error`);
    await page.waitForURL(/\/login\?next=/);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/email or password/i);
    await screenshot(page, 'login-error');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    // Back where the bookmark pointed, its filter filled in.
    await page.waitForURL(/\/requests\?status=error$/);
    expect(await page.getByLabel('Status').inputValue()).toBe('error');
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('shows a viewer no create, revoke or invite controls, and the API refuses them anyway', async () => {
    const ownerPage = await (await rig.newContext()).newPage();
    await signUpInBrowser(ownerPage, { baseUrl: rig.server.url });
    const invitation = await postAsUser<{ token: string }>(ownerPage, '/api/invitations', {
      email: 'viewer@example.com',
      role: 'viewer',
    });
    const ownerKey = await postAsUser<{ id: string }>(ownerPage, '/api/keys', { name: 'owner key' });

    const viewer = await (await rig.newContext()).newPage();
    await signUpInBrowser(viewer, { baseUrl: rig.server.url, invite: invitation.token, email: 'viewer@example.com' });
    await viewer.goto(`${rig.server.url}/keys`);
    await expect.poll(() => viewer.getByTestId('key-row').count()).toBe(1);
    expect(await viewer.getByRole('button', { name: 'Create key' }).count()).toBe(0);
    expect(await viewer.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    await screenshot(viewer, 'keys-as-viewer');
    await viewer.goto(`${rig.server.url}/members`);
    await expect.poll(() => viewer.getByText('viewer@example.com').count()).toBeGreaterThan(0);
    expect(await viewer.getByRole('button', { name: /invite/i }).count()).toBe(0);

    const token = await csrfToken(viewer);
    const refused = await viewer.evaluate(
      async ({ token, keyId }) => {
        const create = await fetch('/api/keys', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': token },
          body: JSON.stringify({ name: 'sneaky' }),
        });
        const revoke = await fetch(`/api/keys/${keyId}`, { method: 'DELETE', headers: { 'x-csrf-token': token } });
        return [create.status, revoke.status];
      },
      { token, keyId: ownerKey.id },
    );
    expect(refused).toEqual([403, 403]);
  });

  it('removes a member and, as the dialog says, revokes the keys they made', async () => {
    const ownerPage = await (await rig.newContext()).newPage();
    await signUpInBrowser(ownerPage, { baseUrl: rig.server.url });
    const invitation = await postAsUser<{ token: string }>(ownerPage, '/api/invitations', {
      email: 'departing@example.com',
      role: 'admin',
    });
    const departing = await (await rig.newContext()).newPage();
    await signUpInBrowser(departing, {
      baseUrl: rig.server.url,
      invite: invitation.token,
      email: 'departing@example.com',
    });
    const theirKey = await postAsUser<{ secret: string }>(departing, '/api/keys', { name: 'departing laptop' });
    const gatewayStatus = () =>
      ownerPage.evaluate(async (secret) => {
        const response = await fetch('/v1/chat/completions', {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
          body: JSON.stringify({ model: 'mock/echo', messages: [{ role: 'user', content: 'hi' }] }),
        });
        return response.status;
      }, theirKey.secret);
    expect(await gatewayStatus()).toBe(200);

    const errors = watchForErrors(ownerPage);
    await ownerPage.goto(`${rig.server.url}/members`);
    const row = ownerPage.getByRole('row').filter({ hasText: 'departing@example.com' });
    await row.getByRole('button', { name: 'Remove' }).click();
    const dialog = ownerPage.getByRole('dialog');
    // No choice to keep them: the dialog says how many of their keys stop with them.
    await expect
      .poll(() => dialog.textContent())
      .toContain('The 1 API key they created in this organization is revoked with them.');
    expect(await dialog.getByRole('checkbox').count()).toBe(0);
    await screenshot(ownerPage, 'member-remove-dialog');
    await dialog.getByRole('button', { name: 'Remove member' }).click();
    await expect.poll(() => ownerPage.getByText('departing@example.com').count()).toBe(0);

    expect(await gatewayStatus()).toBe(401);
    await ownerPage.goto(`${rig.server.url}/keys`);
    const keyRow = ownerPage.getByTestId('key-row').filter({ hasText: 'departing laptop' });
    await expect.poll(() => keyRow.textContent()).toContain('revoked');
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('lets someone who already has an account accept an invitation by logging in', async () => {
    const inviter = await rig.newPage();
    await signUpInBrowser(inviter, { baseUrl: rig.server.url });
    const existing = await rig.newPage();
    const { email } = await signUpInBrowser(existing, { baseUrl: rig.server.url });
    const invitation = await inviter.evaluate(
      async ({ token, invitee }) => {
        const response = await fetch('/api/invitations', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': token },
          body: JSON.stringify({ email: invitee, role: 'member' }),
        });
        return (await response.json()) as { token: string; signupUrl: string };
      },
      { token: await csrfToken(inviter), invitee: email },
    );
    const invitedOrg = await inviter.evaluate(
      async () => ((await (await fetch('/api/me')).json()) as { org: { name: string } }).org.name,
    );

    const page = await rig.newPage();
    await page.goto(`${rig.server.url}/signup?invite=${encodeURIComponent(invitation.token)}`);
    await page.getByRole('link', { name: 'Log in' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Log in to accept your invitation');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/overview$/);
    // Now in two orgs, and looking at the one that invited them.
    await expect.poll(() => page.getByLabel('Organization').locator('option:checked').textContent()).toBe(invitedOrg);
  });

  it('switches orgs from the menu, showing only the chosen org’s data', async () => {
    const page = await rig.newPage();
    await signUpInBrowser(page, { baseUrl: rig.server.url });
    const created = await page.evaluate(
      async (token) => {
        const headers = { 'content-type': 'application/json', 'x-csrf-token': token };
        await fetch('/api/keys', { method: 'POST', headers, body: JSON.stringify({ name: 'first org key' }) });
        const org = await fetch('/api/orgs', { method: 'POST', headers, body: JSON.stringify({ name: 'Second Org' }) });
        return (await org.json()) as { id: string };
      },
      await csrfToken(page),
    );
    // The menu learns of the new org on the next load.
    await page.goto(`${rig.server.url}/keys`);
    await expect.poll(() => page.getByTestId('key-row').filter({ hasText: 'first org key' }).count()).toBe(1);
    await page.getByLabel('Organization').selectOption(created.id);
    await expect.poll(() => page.getByText('No keys yet').isVisible()).toBe(true);
    expect(await page.getByTestId('key-row').count()).toBe(0);
    expect(page.url()).toMatch(/\/keys$/);
    await screenshot(page, 'org-switched');
  });

  it('loads the first page with under 300 kB of gzipped JavaScript, hashed assets cached for good', async () => {
    const signingUp = await rig.newContext();
    await signUpInBrowser(await signingUp.newPage(), { baseUrl: rig.server.url });
    // A fresh context with the session but an empty cache: the first load of a returning user.
    const context = await rig.newContext({ storageState: await signingUp.storageState() });
    const page = await context.newPage();
    const scripts: Array<Promise<{ url: string; bytes: number; cacheControl: string | undefined }>> = [];
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      scripts.push(
        response.body().then((body) => ({
          url: response.url(),
          bytes: gzipSync(body).length,
          cacheControl: response.headers()['cache-control'],
        })),
      );
    });
    const document = await page.goto(`${rig.server.url}/overview`);
    await expect.poll(() => page.getByTestId('live-indicator').getAttribute('data-state')).toBe('live');
    const loaded = await Promise.all(scripts);
    expect(document?.headers()['cache-control']).toBe('no-cache');
    const total = loaded.reduce((sum, script) => sum + script.bytes, 0);
    expect(loaded.length).toBeGreaterThan(1);
    expect(total).toBeLessThan(300 * 1024);
    for (const script of loaded) expect(script.cacheControl, script.url).toContain('immutable');
    await context.close();
    await signingUp.close();
  });

  it('follows the system’s dark mode and fits a phone screen', async () => {
    const context = await rig.newContext({ colorScheme: 'dark', viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    await signUpInBrowser(page, { baseUrl: rig.server.url });
    const background = await page.evaluate('getComputedStyle(document.documentElement).backgroundColor');
    expect(background).toBe('rgb(17, 18, 21)');
    // The menu folds away on a phone, and opens from its button.
    const navigation = page.getByRole('navigation', { name: 'Main' });
    expect(await navigation.isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Menu' }).click();
    await navigation.getByRole('link', { name: 'Overview' }).click();
    await page.waitForURL(/\/overview$/);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'overview-phone-dark');
    await context.close();
  });
});
