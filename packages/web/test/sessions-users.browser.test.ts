import { FAKE_REPLY, type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import OpenAI from 'openai';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { formatUsd } from '../src/lib/format.js';
import { type BrowserRig, screenshot, signUpInBrowser, startRig, watchForErrors } from './browser.js';

let rig: BrowserRig;
let upstream: FakeOpenAi;

beforeAll(async () => {
  rig = await startRig();
  upstream = await startFakeOpenAi();
});

afterAll(async () => {
  await upstream?.close();
  await rig?.close();
});

/** A cookie-authenticated API call from the page, as the app makes it; the answer's status and body. */
async function callApi(page: Page, request: { method: string; path: string; body?: unknown }) {
  return page.evaluate(async ({ method, path, body }) => {
    const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
    const response = await fetch(path, {
      method,
      headers: { 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }, request);
}

const main = (page: Page) => page.locator('main');
const heading = (page: Page) => page.getByRole('heading', { level: 1 }).first();
const statValue = (page: Page, testId: string) => page.getByTestId(testId).locator('dd').textContent();

/** The page itself never scrolls sideways; a wide table scrolls inside its own frame. */
async function expectNoSidewaysScroll(page: Page) {
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow).toBeLessThanOrEqual(0);
}

// Each gateway call below costs the same: 11 prompt tokens (3 cached) at $1,000 and 5 completion
// tokens at $2,000 per million = $0.021; a refused one costs nothing.
const CALL_COST = (11 * 1_000 + 5 * 2_000) / 1e6;

describe('Sessions and Users, in Chromium, from calls through the gateway', () => {
  it('lists sessions and end users with their totals, and opens each as a user reads it', async () => {
    const page = await rig.newPage({ viewport: { width: 1366, height: 768 } });
    onTestFailed(() => screenshot(page, 'failed-sessions-users'));
    const errors = watchForErrors(page);
    const baseUrl = rig.server.url;
    await signUpInBrowser(page, { baseUrl });

    // An org provider (the fake OpenAI upstream) with the org's own price, so calls have a cost.
    const provider = await callApi(page, {
      method: 'POST',
      path: '/api/providers',
      body: { name: 'shop', kind: 'openai-compatible', baseUrl: upstream.baseUrl, apiKey: upstream.apiKey },
    });
    expect(provider.status).toBe(201);
    const price = await callApi(page, {
      method: 'PUT',
      path: '/api/prices',
      body: { model: 'shop/assistant', input: 1_000, output: 2_000 },
    });
    expect(price.status).toBe(200);
    const key = await callApi(page, { method: 'POST', path: '/api/keys', body: { name: 'shop app' } });
    expect(key.status).toBe(201);

    const client = (headers: Record<string, string>) =>
      new OpenAI({ apiKey: String(key.body.secret), baseURL: `${baseUrl}/v1`, maxRetries: 0, defaultHeaders: headers });
    // A small max_tokens keeps each call's worst case inside a new org's monthly spend cap.
    const max_tokens = 10;
    const ada = client({ 'x-switchyard-session-id': 'order-help', 'x-switchyard-user-id': 'ada@example.com' });
    const question = { role: 'user' as const, content: 'Where is my order?' };
    await ada.chat.completions.create({ model: 'shop/assistant', max_tokens, messages: [question] });
    // The second turn resends the conversation so far, as chat apps do.
    await ada.chat.completions.create({
      model: 'shop/assistant',
      max_tokens,
      messages: [question, { role: 'assistant', content: FAKE_REPLY }, { role: 'user', content: 'It is order 42' }],
    });
    // A call of ada's outside any session, named by OpenAI's `user` field alone.
    await client({}).chat.completions.create({
      model: 'shop/assistant',
      max_tokens,
      messages: [{ role: 'user', content: 'Thanks' }],
      user: 'ada@example.com',
    });
    const bob = client({ 'x-switchyard-session-id': 'bob-chat', 'x-switchyard-user-id': 'bob' });
    await bob.chat.completions.create({
      model: 'shop/assistant',
      max_tokens,
      messages: [{ role: 'user', content: 'Hi' }],
    });
    const failed = await bob.chat.completions
      .create({ model: 'shop/fail-400', max_tokens, messages: [{ role: 'user', content: 'Break' }] })
      .catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(OpenAI.APIError);

    // Sessions: most recently active first, each with its traces, tokens, cost, errors and user.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sessions' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('Sessions');
    await expect.poll(() => page.getByTestId('session-row').count(), { timeout: 15_000 }).toBe(2);
    const rows = page.getByTestId('session-row');
    const cells = (row: number) => rows.nth(row).locator('td').allTextContents();
    // Session, user, traces, tokens, cost, errors, duration, last seen.
    expect((await cells(0)).slice(0, 6)).toEqual(['bob-chat', 'bob', '2', '16', formatUsd(CALL_COST), '1']);
    expect((await cells(1)).slice(0, 6)).toEqual([
      'order-help',
      'ada@example.com',
      '2',
      '32',
      formatUsd(2 * CALL_COST),
      '0',
    ]);
    expect(await page.locator('.table-wrap').evaluate((wrap) => wrap.scrollWidth <= wrap.clientWidth)).toBe(true);
    await screenshot(page, 'sessions-1366');

    // A session opens as its turns in order: each shows what it added and the answer, not the history again.
    await rows.nth(1).getByRole('link', { name: 'order-help' }).click();
    await page.waitForURL(/\/sessions\/order-help$/);
    await expect.poll(() => page.getByTestId('session-turn').count()).toBe(2);
    expect(await statValue(page, 'session-traces')).toBe('2');
    expect(await statValue(page, 'session-tokens')).toBe('32');
    expect(await statValue(page, 'session-cost')).toBe(formatUsd(2 * CALL_COST));
    expect(await statValue(page, 'session-errors')).toBe('0');
    const turns = page.getByTestId('session-turn');
    const firstTurn = (await turns.nth(0).textContent()) ?? '';
    const secondTurn = (await turns.nth(1).textContent()) ?? '';
    expect(firstTurn).toContain('Where is my order?');
    expect(firstTurn).toContain(FAKE_REPLY);
    expect(secondTurn).toContain('It is order 42');
    expect(secondTurn).toContain('2 earlier messages of the conversation not repeated');
    expect(secondTurn).not.toContain('Where is my order?');
    expect(await turns.nth(1).getByTestId('turn-totals').textContent()).toContain(formatUsd(CALL_COST));
    await screenshot(page, 'session-1366');

    // Each turn links to its request's detail page.
    await turns.nth(1).getByRole('link', { name: 'Open request →' }).click();
    await page.waitForURL(/\/requests\/[^/]+$/);
    await expect.poll(() => main(page).textContent()).toContain('It is order 42');
    expect(await main(page).textContent()).toContain('order-help');
    await page.goBack();
    await page.waitForURL(/\/sessions\/order-help$/);

    // The session's user opens as their totals, their sessions and their requests.
    await main(page).getByRole('link', { name: 'ada@example.com' }).first().click();
    await page.waitForURL(/\/users\/ada%40example\.com$/);
    await expect.poll(() => statValue(page, 'user-requests')).toBe('3');
    expect(await statValue(page, 'user-sessions')).toBe('1');
    expect(await statValue(page, 'user-tokens')).toBe('48');
    expect(await statValue(page, 'user-cost')).toBe(formatUsd(3 * CALL_COST));
    expect(await statValue(page, 'user-errors')).toBe('0');
    await expect.poll(() => page.getByTestId('trace-row').count()).toBe(3);
    expect(await page.getByTestId('session-row').allTextContents()).toEqual([expect.stringContaining('order-help')]);
    await screenshot(page, 'user-1366');

    // Users: last seen first by default; sorting by cost or requests is the server's, kept in the URL.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await expect.poll(() => heading(page).textContent()).toBe('Users');
    const userRows = page.getByTestId('user-row');
    await expect.poll(() => userRows.count()).toBe(2);
    const userCells = (row: number) => userRows.nth(row).locator('td').allTextContents();
    // User, requests, sessions, tokens, cost, errors, last seen.
    expect((await userCells(0)).slice(0, 6)).toEqual(['bob', '2', '1', '16', formatUsd(CALL_COST), '1']);
    expect((await userCells(1)).slice(0, 6)).toEqual([
      'ada@example.com',
      '3',
      '1',
      '48',
      formatUsd(3 * CALL_COST),
      '0',
    ]);
    await page.getByRole('button', { name: /^Cost/ }).click();
    await page.waitForURL(/sort=costUsd/);
    await expect.poll(async () => (await userCells(0))[0]).toBe('ada@example.com');
    await page.reload();
    await expect.poll(async () => (await userCells(0))[0]).toBe('ada@example.com');
    expect(await page.getByRole('columnheader', { name: /^Cost/ }).getAttribute('aria-sort')).toBe('descending');
    await screenshot(page, 'users-1366');

    // On a phone: the same pages through the menu, none scrolling sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [name, rowTestId, shot] of [
      ['Sessions', 'session-row', 'sessions-390'],
      ['Users', 'user-row', 'users-390'],
    ] as const) {
      await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
      await expect.poll(() => heading(page).textContent()).toBe(name);
      await expect.poll(() => page.getByTestId(rowTestId).count()).toBe(2);
      await expectNoSidewaysScroll(page);
      await screenshot(page, shot);
    }
    await page.goto(`${baseUrl}/sessions/order-help`);
    await expect.poll(() => page.getByTestId('session-turn').count()).toBe(2);
    expect(await page.getByTestId('session-turn').nth(0).textContent()).toContain('Where is my order?');
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'session-390');
    await page.goto(`${baseUrl}/users/bob`);
    await expect.poll(() => statValue(page, 'user-errors')).toBe('1');
    expect(await statValue(page, 'user-cost')).toBe(formatUsd(CALL_COST));
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'user-390');

    expect(errors, errors.join('\n')).toEqual([]);
  });

  it('says so when a session or a user is not in the org', async () => {
    const page = await rig.newPage({ viewport: { width: 1366, height: 768 } });
    onTestFailed(() => screenshot(page, 'failed-sessions-users-missing'));
    await signUpInBrowser(page, { baseUrl: rig.server.url });
    await page.goto(`${rig.server.url}/sessions/order-help`);
    await expect.poll(() => main(page).textContent()).toContain('No such session in this organization');
    await page.goto(`${rig.server.url}/users/bob`);
    await expect.poll(() => main(page).textContent()).toContain('No such user in this organization');
    await page.goto(`${rig.server.url}/sessions`);
    await expect.poll(() => main(page).textContent()).toContain('No sessions yet');
    await page.goto(`${rig.server.url}/users`);
    await expect.poll(() => main(page).textContent()).toContain('No end users yet');
  });
});
