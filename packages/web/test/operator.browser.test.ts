import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type BrowserRig, screenshot, signUpInBrowser, startRig, watchForErrors } from './browser.js';

let rig: BrowserRig;

beforeAll(async () => {
  rig = await startRig();
});

afterAll(async () => rig?.close());

const VIEWPORT = { width: 1280, height: 900 };

/** Logs in through the form with the login the server printed on its first start: the operator. */
async function logInAsOperator(page: Page): Promise<void> {
  const firstRun = rig.server.firstRun;
  if (!firstRun) throw new Error('the rig started on a database that was not empty');
  await page.goto(`${rig.server.url}/login`);
  await page.getByLabel('Email').fill(firstRun.email);
  await page.getByLabel('Password').fill(firstRun.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/overview$/);
}

function menuLink(page: Page, name: string) {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

async function currentOrgName(page: Page): Promise<string> {
  return page.evaluate(async () => ((await (await fetch('/api/me')).json()) as { org: { name: string } }).org.name);
}

/** A call from the page as its signed-in user (cookie and CSRF token, as the app sends them); the status. */
async function callApi(page: Page, options: { method: string; path: string; body?: unknown }): Promise<number> {
  return page.evaluate(async ({ method, path, body }) => {
    const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
    const response = await fetch(path, {
      method,
      headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.status;
  }, options);
}

/** Opens the Operator page from the menu and searches for one org; its row. */
async function findOrg(page: Page, orgName: string) {
  await menuLink(page, 'Operator').click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Operator');
  await page.getByRole('searchbox', { name: 'Search organizations' }).fill(orgName);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await page.waitForURL(/\/operator\?search=/);
  const rows = page.getByTestId('operator-org-row');
  await expect.poll(() => rows.filter({ hasText: orgName }).count()).toBe(1);
  return rows.filter({ hasText: orgName });
}

describe('the operator, in Chromium, against a real server', () => {
  it('finds a stranger’s org, changes its plan and limits, suspends it and lifts the suspension', async () => {
    const stranger = await rig.newPage({ viewport: VIEWPORT });
    await signUpInBrowser(stranger, { baseUrl: rig.server.url });
    const strangerOrg = await currentOrgName(stranger);

    const page = await rig.newPage({ viewport: VIEWPORT });
    onTestFailed(() => screenshot(page, 'failed-operator'));
    const errors = watchForErrors(page);
    await logInAsOperator(page);
    const row = await findOrg(page, strangerOrg);
    // The search narrowed the list: the first-run org is not in it.
    expect(await page.getByTestId('operator-org-row').filter({ hasText: 'Default' }).count()).toBe(0);
    expect(await row.textContent()).toContain('free');
    expect(await row.textContent()).toContain('of $10.00');
    expect(await row.textContent()).toContain('active');

    // A new plan: the limits in force follow it.
    await row.getByRole('button', { name: `Manage ${strangerOrg}` }).click();
    const panel = page.getByRole('region', { name: `Manage ${strangerOrg}` });
    await panel.getByRole('combobox', { name: 'Plan', exact: true }).selectOption('pro');
    await panel.getByRole('button', { name: 'Save plan' }).click();
    const limits = panel.getByTestId('limits-in-force');
    await expect.poll(() => limits.textContent()).toContain('$1000.00');
    expect(await row.textContent()).toContain('of $1000.00');
    expect(await row.locator('.badge').first().textContent()).toBe('pro');

    // An override above the plan: 5,000 requests a minute where pro allows 1,000.
    const requests = panel.getByRole('group', { name: 'Requests per minute' });
    await requests.getByLabel('Override').selectOption('number');
    await requests.getByLabel('Value').fill('5000');
    await panel.getByRole('button', { name: 'Save overrides' }).click();
    await expect.poll(() => limits.textContent()).toMatch(/Requests per minute5\D?000/);
    expect(await requests.getByLabel('Value').inputValue()).toBe('5000');
    await screenshot(page, 'operator-orgs');

    // The server's provider keys: a signed-up org does not use them until the operator says so.
    const keysState = panel.getByTestId('server-providers-state');
    expect(await keysState.textContent()).toContain('not allowed');
    await panel.getByRole('button', { name: "Let it use the server's keys" }).click();
    await expect.poll(() => keysState.textContent()).toContain("may use the server's own provider keys");
    await panel.getByRole('button', { name: "Stop its use of the server's keys" }).click();
    await expect.poll(() => keysState.textContent()).toContain('not allowed');

    // Suspended, with a reason, behind a confirmation.
    await panel.getByRole('button', { name: 'Suspend', exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Reason, shown to the org').fill('unpaid invoice');
    await screenshot(page, 'operator-suspend-dialog');
    await dialog.getByRole('button', { name: 'Suspend organization' }).click();
    await expect.poll(() => row.textContent()).toContain('suspended');
    expect(await row.textContent()).toContain('unpaid invoice');

    // The stranger sees why on every page, and a change is refused with the server's message.
    await stranger.goto(`${rig.server.url}/keys`);
    const banner = stranger.getByTestId('suspended-banner');
    await expect.poll(() => banner.textContent()).toContain('unpaid invoice');
    expect(await banner.textContent()).toContain('cannot change anything');
    await stranger.getByLabel('Name').fill('during the suspension');
    await stranger.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => stranger.getByRole('alert').textContent()).toMatch(/suspended by the server's operator/);
    await screenshot(stranger, 'suspended-org');
    await stranger.goto(`${rig.server.url}/settings`);
    await expect.poll(() => stranger.getByRole('heading', { name: 'Suspended' }).count()).toBe(1);
    await expect.poll(() => banner.isVisible()).toBe(true);

    // Lifted: the banner goes and keys can be made again.
    await panel.getByRole('button', { name: 'Unsuspend' }).click();
    await expect.poll(() => row.textContent()).toContain('active');
    await stranger.goto(`${rig.server.url}/keys`);
    await stranger.getByLabel('Name').fill('after the suspension');
    await stranger.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => stranger.getByTestId('new-secret').count()).toBe(1);
    expect(await banner.count()).toBe(0);
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('sets a price for the server’s providers, lists it, and removes it', async () => {
    const page = await rig.newPage({ viewport: VIEWPORT });
    onTestFailed(() => screenshot(page, 'failed-operator-prices'));
    const errors = watchForErrors(page);
    await logInAsOperator(page);
    await menuLink(page, 'Operator').click();
    await expect.poll(() => page.getByRole('heading', { name: 'No server prices set' }).count()).toBe(1);
    expect(await page.locator('main').textContent()).toContain('costs nothing and counts against no budget');

    await page.getByLabel('Model').fill('vllm/llama-3.1-70b');
    await page.getByLabel('Input (USD / 1M tokens)', { exact: true }).fill('0.5');
    await page.getByLabel('Output (USD / 1M tokens)').fill('1.5');
    await page.getByLabel('Cached input (USD / 1M tokens)').fill('0.125');
    await page.getByRole('button', { name: 'Set price' }).click();
    const priceRow = page.getByTestId('server-price-row').filter({ hasText: 'vllm/llama-3.1-70b' });
    await expect.poll(() => priceRow.count()).toBe(1);
    const cells = await priceRow.getByRole('cell').allTextContents();
    expect(cells.slice(0, 4)).toEqual(['vllm/llama-3.1-70b', '$0.50', '$1.50', '$0.125']);
    await screenshot(page, 'operator-prices');

    await priceRow.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove price' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'No server prices set' }).count()).toBe(1);
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('shows someone who is not an operator no Operator link, and a message at /operator', async () => {
    const page = await rig.newPage({ viewport: VIEWPORT });
    const errors = watchForErrors(page);
    await signUpInBrowser(page, { baseUrl: rig.server.url });
    expect(await menuLink(page, 'Settings').count()).toBe(1);
    expect(await menuLink(page, 'Operator').count()).toBe(0);

    await page.goto(`${rig.server.url}/operator`);
    await expect
      .poll(() => page.getByRole('heading', { name: "Only the server's operators can open this page" }).count())
      .toBe(1);
    expect(await page.getByRole('heading', { name: 'Organizations' }).count()).toBe(0);
    await screenshot(page, 'operator-refused');
    expect(errors, errors.join('\n')).toEqual([]);
  });
});

describe('what an org’s own roles may do, in Chromium', () => {
  it('offers a member no admin scope, and Revoke only on the keys they made', async () => {
    const owner = await rig.newPage({ viewport: VIEWPORT });
    await signUpInBrowser(owner, { baseUrl: rig.server.url });
    expect(await callApi(owner, { method: 'POST', path: '/api/keys', body: { name: 'owner key' } })).toBe(201);
    const token = await owner.evaluate(async () => {
      const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
      const response = await fetch('/api/invitations', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrfToken },
        body: JSON.stringify({ email: 'keys-member@example.com', role: 'member' }),
      });
      return ((await response.json()) as { token: string }).token;
    });

    const member = await rig.newPage({ viewport: VIEWPORT });
    onTestFailed(() => screenshot(member, 'failed-keys-as-member'));
    const errors = watchForErrors(member);
    await signUpInBrowser(member, { baseUrl: rig.server.url, invite: token, email: 'keys-member@example.com' });
    await member.goto(`${rig.server.url}/keys`);
    const adminScope = member.getByRole('checkbox', { name: /^admin/ });
    expect(await adminScope.isDisabled()).toBe(true);
    expect(await adminScope.isChecked()).toBe(false);
    expect(await member.getByRole('form', { name: 'Create an API key' }).textContent()).toContain(
      'only admins and owners can give a key this scope',
    );

    await member.getByLabel('Name').fill('member key');
    await member.getByRole('button', { name: 'Create key' }).click();
    await expect.poll(() => member.getByTestId('new-secret').count()).toBe(1);
    const ownRow = member.getByTestId('key-row').filter({ hasText: 'member key' });
    const ownerRow = member.getByTestId('key-row').filter({ hasText: 'owner key' });
    await expect.poll(() => ownRow.count()).toBe(1);
    expect(await ownRow.textContent()).toContain('gateway, ingest');
    expect(await ownRow.getByRole('button', { name: 'Revoke' }).count()).toBe(1);
    expect(await ownerRow.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    await screenshot(member, 'keys-as-member');
    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('lowers the org’s own limits in Settings, refusing one above the plan with the server’s message', async () => {
    const page = await rig.newPage({ viewport: VIEWPORT });
    onTestFailed(() => screenshot(page, 'failed-settings-limits'));
    const errors = watchForErrors(page);
    await signUpInBrowser(page, { baseUrl: rig.server.url });
    await menuLink(page, 'Settings').click();
    const limitsForm = page.getByRole('form', { name: 'Limits' });
    await expect.poll(() => limitsForm.count()).toBe(1);
    // The plan is shown, not offered: it is the operator's.
    expect(await page.getByRole('form', { name: 'Organization' }).textContent()).toContain(
      "free set by the server's operator",
    );
    expect(await page.getByRole('combobox', { name: 'Plan' }).count()).toBe(0);

    const requests = limitsForm.getByLabel('Requests per minute');
    await requests.fill('100');
    await limitsForm.getByRole('button', { name: 'Save limits' }).click();
    await expect
      .poll(() => limitsForm.getByRole('alert').textContent())
      .toContain("limits.requestsPerMinute: at most 60 on this org's plan (free)");
    await screenshot(page, 'settings-limits-refused');

    await requests.fill('30');
    await limitsForm.getByRole('button', { name: 'Save limits' }).click();
    await expect.poll(() => limitsForm.getByRole('status').textContent()).toBe('Saved');
    expect(await limitsForm.textContent()).toContain('Plan allows 60 · in force 30');
    await menuLink(page, 'Usage & limits').click();
    await expect.poll(() => page.locator('.usage-cards').textContent()).toContain('Requests per minute30');

    // Emptied, the plan's limit applies again.
    await menuLink(page, 'Settings').click();
    await requests.fill('');
    await limitsForm.getByRole('button', { name: 'Save limits' }).click();
    await expect.poll(() => limitsForm.textContent()).toContain('Plan allows 60 · in force 60');
    await screenshot(page, 'settings-limits');
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
