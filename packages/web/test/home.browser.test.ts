import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/src/config.js';
import { type RunningServer, startServer } from '../../server/src/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let server: RunningServer;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'switchyard-browser-'));
  server = await startServer(loadConfig({ DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' }));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the page at /, in Chromium', () => {
  it('shows that the server and its dependencies are ready', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on(
      'response',
      (response) => response.status() >= 400 && errors.push(`${response.status()} ${response.url()}`),
    );
    await page.goto(server.url);
    await expect.poll(() => page.locator('#status').getAttribute('data-state')).toBe('ok');
    expect(await page.locator('#status').textContent()).toContain('database (pglite): ok');
    expect(await page.locator('pre').textContent()).toContain(`${new URL(server.url).origin}/v1/models`);
    expect(errors, errors.join('\n')).toEqual([]);
    if (process.env.SCREENSHOT_DIR) await page.screenshot({ path: join(process.env.SCREENSHOT_DIR, 'home.png') });
  });

  it('links to the API reference, which renders', async () => {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.getByRole('link', { name: 'API reference' }).click();
    await expect.poll(() => page.locator('.swagger-ui').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.getByText('/api/keys').first().isVisible(), { timeout: 15_000 }).toBe(true);
  });

  it('serves the page for a dashboard URL typed into the address bar', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${server.url}/overview`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('Switchyard');
  });
});
