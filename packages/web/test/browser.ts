import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../server/src/config.js';
import { type RunningServer, startServer } from '../../server/src/server.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of every page the suites visit, for a person to look at after a run. */
export const SCREENSHOT_DIR = process.env.SCREENSHOT_DIR ?? join(process.cwd(), 'test-output', 'dashboard');

/** How long one look or click waits for its element: well inside a poll's 15 s, so polls retry. */
const ACTION_TIMEOUT_MS = 10_000;

export type BrowserRig = {
  server: RunningServer;
  browser: Browser;
  /** A fresh browser profile (cookies, storage, cache), with our action timeout. */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  newPage(options?: BrowserContextOptions): Promise<Page>;
  close(): Promise<void>;
};

/**
 * A real server on an ephemeral port with a fresh embedded database, and Debian's Chromium; `env`
 * overrides the rig's settings (which open sign-up, unlike the server's default).
 */
export async function startRig(options: { env?: Record<string, string> } = {}): Promise<BrowserRig> {
  const dataDir = mkdtempSync(join(tmpdir(), 'switchyard-browser-'));
  const server = await startServer(
    // The tests' webhook receivers listen on loopback, which org URLs may not reach by default.
    // The suites sign people up through the form, as on a server open to sign-up.
    loadConfig({
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ALLOW_PRIVATE_URLS: 'true',
      SIGNUP: 'open',
      ...options.env,
    }),
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  const newContext = async (options?: BrowserContextOptions) => {
    const context = await browser.newContext(options);
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    return context;
  };
  return {
    server,
    browser,
    newContext,
    newPage: async (options) => (await newContext(options)).newPage(),
    close: async () => {
      await browser.close();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/**
 * Collects what a user would see as breakage: uncaught errors and server errors. (4xx answers to
 * the app's own fetches are its business: a signed-out `GET /api/me` is 401 by design.)
 */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('response', (response) => {
    const failedDocumentOrAsset = response.status() >= 400 && response.request().resourceType() !== 'fetch';
    if (response.status() >= 500 || failedDocumentOrAsset) errors.push(`${response.status()} ${response.url()}`);
  });
  return errors;
}

let accounts = 0;

/** Signs up through the form, as a new user would. */
export async function signUpInBrowser(page: Page, options: { baseUrl: string; invite?: string; email?: string }) {
  accounts += 1;
  const email = options.email ?? `user${accounts}-${Date.now()}@example.com`;
  const query = options.invite ? `?invite=${encodeURIComponent(options.invite)}` : '';
  await page.goto(`${options.baseUrl}/signup${query}`);
  await page.getByLabel('Name').fill(`User ${accounts}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('correct horse battery');
  if (!options.invite) await page.getByLabel('Organization').fill(`Org ${accounts}`);
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.waitForURL(options.invite ? /\/overview$/ : /\/getting-started$/);
  return { email };
}
