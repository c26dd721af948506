import { flush, init, score, shutdown, span, trace, wrapOpenAI } from '@switchyard/sdk';
import { type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import OpenAI from 'openai';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { type BrowserRig, screenshot, signUpInBrowser, startRig, watchForErrors } from './browser.js';

let rig: BrowserRig;
let upstream: FakeOpenAi;

beforeAll(async () => {
  rig = await startRig();
  upstream = await startFakeOpenAi();
});

afterAll(async () => {
  await shutdown();
  await upstream?.close();
  await rig?.close();
});

async function openFromMenu(page: Page, name: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name }).click();
}

/** Creates a key on the Keys page and reads its secret from the once-only notice. */
async function createKeyInBrowser(page: Page, name: string): Promise<string> {
  await openFromMenu(page, 'API keys');
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Create key' }).click();
  const secret = (await page.getByTestId('new-secret').locator('code').textContent()) ?? '';
  expect(secret).toMatch(/^sy-/);
  await expect.poll(() => page.getByTestId('key-row').filter({ hasText: name }).count()).toBe(1);
  return secret;
}

describe('the dashboard, in Chromium, against a real server', () => {
  it('takes a new user from sign-up to live traffic, a trace, the Playground and a revoked key', async () => {
    const page = await rig.newPage({ viewport: { width: 1280, height: 900 } });
    onTestFailed(() => screenshot(page, `failed-${expect.getState().currentTestName?.slice(0, 40) ?? 'test'}`));
    const errors = watchForErrors(page);
    const baseUrl = rig.server.url;

    // Sign up: a new account lands on Getting started, with snippets filled with this server's URL.
    await signUpInBrowser(page, { baseUrl });
    expect(await page.locator('pre').first().textContent()).toContain(`${new URL(baseUrl).origin}/v1/chat/completions`);
    await screenshot(page, 'getting-started');

    const secret = await createKeyInBrowser(page, 'e2e backend');
    await screenshot(page, 'keys');

    // Overview starts empty, then fills in live, without a reload, as requests go through the gateway.
    await openFromMenu(page, 'Overview');
    await expect.poll(() => page.getByTestId('live-indicator').getAttribute('data-state')).toBe('live');
    // The live stream can connect before the first charts have loaded: wait for what the user sees.
    await expect.poll(() => page.getByText('No requests in this range yet').isVisible()).toBe(true);
    await screenshot(page, 'overview-empty');
    // A mark on the page's global object: gone if anything reloads the page.
    await page.evaluate(() => Object.assign(globalThis, { samePage: true }));
    const openai = new OpenAI({ apiKey: secret, baseURL: `${baseUrl}/v1`, maxRetries: 0 });
    for (const content of ['first question', 'second question']) {
      const completion = await openai.chat.completions.create({
        model: 'mock/echo',
        messages: [{ role: 'user', content }],
      });
      expect(completion.choices[0]?.message.content).toBe(content);
    }
    await expect
      .poll(() => page.getByTestId('stat-requests').locator('dd').textContent(), { timeout: 15_000 })
      .toBe('2');
    await expect.poll(() => page.getByTestId('live-row').count()).toBe(2);
    expect(await page.evaluate(() => (globalThis as { samePage?: boolean }).samePage)).toBe(true);
    await expect.poll(() => page.locator('.breakdowns').textContent()).toContain('e2e backend');
    await screenshot(page, 'overview');

    // The last hour is charted by the minute, counted from the calls rather than the hourly rollups.
    const lastHour = page.waitForResponse(
      (response) => response.url().includes('/api/metrics?') && response.url().includes('bucket=minute'),
    );
    await page.getByRole('button', { name: '1h', exact: true }).click();
    const minutes = (await (await lastHour).json()) as { points: Array<{ time: string; requests: number }> };
    expect(minutes.points.reduce((sum, point) => sum + point.requests, 0)).toBe(2);
    expect(minutes.points.every((point) => point.time.endsWith(':00.000Z'))).toBe(true);
    await expect.poll(() => page.getByTestId('stat-requests').locator('dd').textContent()).toBe('2');
    await screenshot(page, 'overview-last-hour');
    await page.getByRole('button', { name: '24h', exact: true }).click();

    // An app recording its own agent with @switchyard/sdk: a retrieval step and a direct model call.
    init({ apiKey: secret, endpoint: baseUrl, flushIntervalMs: 50 });
    const direct = wrapOpenAI(new OpenAI({ apiKey: upstream.apiKey, baseURL: upstream.baseUrl, maxRetries: 0 }));
    const traceId = await trace('e2e-agent', async (current) => {
      await span('search-docs', async (step) => step.update({ output: ['doc-1'] }), { type: 'retrieval' });
      await direct.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Summarise doc-1' }],
      });
      return current.traceId;
    });
    score({ name: 'helpful', value: 1, traceId });
    await flush();

    // Requests lists all three traces; a filter in the URL narrows them, and survives a reload.
    await openFromMenu(page, 'Requests');
    await expect.poll(() => page.getByTestId('trace-row').count()).toBe(3);
    // Sorting by cost is done by the server, and kept in the URL.
    await page.getByRole('button', { name: /^Cost/ }).click();
    await page.waitForURL(/sort=-costUsd/);
    await expect.poll(() => page.getByTestId('trace-row').first().textContent()).toContain('e2e-agent');
    await page.getByLabel('Name').fill('e2e-agent');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.waitForURL(/name=e2e-agent/);
    await page.reload();
    await expect.poll(() => page.getByTestId('trace-row').count()).toBe(1);
    await screenshot(page, 'requests');

    // The trace: a waterfall of both steps, the model call as chat messages, and its score.
    await page.getByTestId('trace-row').first().click();
    await page.waitForURL(new RegExp(`/requests/${traceId}`));
    await expect.poll(() => page.getByTestId('waterfall-row').count()).toBe(2);
    await page.getByTestId('waterfall-row').filter({ hasText: 'generation' }).click();
    const panel = page.getByRole('region', { name: 'Selected step' });
    await expect.poll(() => panel.textContent()).toContain('Summarise doc-1');
    expect(await panel.textContent()).toContain('gpt-4o-mini');
    expect(await page.getByText('helpful').first().isVisible()).toBe(true);
    await screenshot(page, 'request-detail');

    // The Playground streams an answer through the gateway, and the exchange shows up in Requests.
    await openFromMenu(page, 'Playground');
    await page.getByRole('button', { name: 'Create a playground key' }).click();
    await page.getByLabel('Message', { exact: true }).fill('Hello from the playground');
    await page.getByRole('button', { name: 'Send' }).click();
    const answer = page.getByTestId('turn-assistant').last();
    await expect.poll(() => answer.textContent(), { timeout: 15_000 }).toContain('View in Requests');
    expect(await answer.textContent()).toContain('Hello from the playground');
    await screenshot(page, 'playground');
    await answer.getByRole('link', { name: 'View in Requests' }).click();
    await expect
      .poll(() => page.getByRole('region', { name: 'Selected step' }).textContent())
      .toContain('Hello from the playground');

    // Revoking the key (after a confirmation) makes the next request with it fail.
    await openFromMenu(page, 'API keys');
    const row = page.getByTestId('key-row').filter({ hasText: 'e2e backend' });
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await expect.poll(() => row.textContent()).toContain('revoked');
    await expect(
      openai.chat.completions.create({ model: 'mock/echo', messages: [{ role: 'user', content: 'again' }] }),
    ).rejects.toMatchObject({
      status: 401,
    });
    expect(errors, errors.join('\n')).toEqual([]);
  });
});
