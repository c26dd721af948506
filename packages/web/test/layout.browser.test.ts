import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, onTestFinished } from 'vitest';
import { type BrowserRig, screenshot, signUpInBrowser, startRig, watchForErrors } from './browser.js';

// How the dashboard looks to a user at a laptop's and a phone's size: numbers written as people read
// them, nothing cut or scrolling sideways, the sidebar the page's full height, the words they read.

const SIZES = [
  { name: 'laptop', width: 1366, height: 768 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const PAGES = [
  '/overview',
  '/requests',
  '/sessions',
  '/users',
  '/playground',
  '/keys',
  '/providers',
  '/usage',
  '/alerts',
  '/members',
  '/settings',
  '/getting-started',
];

// What ingest records for an app's calls: float sums, as a price times tokens gives them.
const NOISY_COST = 0.0000050999999999999995;
const LARGER_COST = 0.00015000000000000001;
const TINY_COST = 2.0000000000000002e-7;

let rig: BrowserRig;
let secret = '';
/** The signed-up user's cookies, for a page at each size. */
let signedIn: Awaited<ReturnType<BrowserContext['storageState']>>;
const ingestedTraceId = `layout-${Date.now()}`;

beforeAll(async () => {
  rig = await startRig();
  const page = await rig.newPage();
  await signUpInBrowser(page, { baseUrl: rig.server.url });
  const created = (await callApi(page, { method: 'POST', path: '/api/keys', body: { name: 'layout' } })) as {
    secret: string;
  };
  secret = created.secret;
  // Calls made before the Overview is opened: three answered, one refused before routing, and three
  // an app recorded itself, with costs as float arithmetic gives them.
  for (let call = 0; call < 3; call += 1) expect(await gatewayCall('mock/echo')).toBe(200);
  expect(await gatewayCall('nosuchprovider/model')).toBe(404);
  await ingestGeneration({ traceId: ingestedTraceId, model: 'openai/gpt-4o-mini', costUsd: NOISY_COST });
  await ingestGeneration({ traceId: `${ingestedTraceId}-b`, model: 'openai/gpt-4o', costUsd: LARGER_COST });
  await ingestGeneration({
    traceId: `${ingestedTraceId}-c`,
    model: 'openai/text-embedding-3-small',
    costUsd: TINY_COST,
  });
  signedIn = await page.context().storageState();
  await page.context().close();
});

afterAll(async () => rig?.close());

/** A cookie-authenticated API call from the page, as the app makes it; the parsed answer. */
async function callApi(page: Page, request: { method: string; path: string; body?: unknown }): Promise<unknown> {
  return page.evaluate(async ({ method, path, body }) => {
    const me = (await (await fetch('/api/me')).json()) as { csrfToken: string };
    const response = await fetch(path, {
      method,
      headers: { 'x-csrf-token': me.csrfToken, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return response.json();
  }, request);
}

async function gatewayCall(model: string): Promise<number> {
  const response = await fetch(`${rig.server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hello from the layout test' }] }),
  });
  await response.arrayBuffer();
  return response.status;
}

async function ingestGeneration(options: { traceId: string; model: string; costUsd: number }): Promise<void> {
  const now = new Date().toISOString();
  const response = await fetch(`${rig.server.url}/v1/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      batch: [
        {
          id: `${options.traceId}-trace`,
          type: 'trace-create',
          timestamp: now,
          body: { id: options.traceId, name: 'support-agent', userId: 'customer-42' },
        },
        {
          id: `${options.traceId}-generation`,
          type: 'observation-create',
          timestamp: now,
          body: {
            id: `${options.traceId}-generation`,
            traceId: options.traceId,
            type: 'generation',
            provider: options.model.split('/')[0],
            model: options.model,
            startTime: now,
            endTime: now,
            usage: { inputTokens: 1200, outputTokens: 300 },
            costUsd: options.costUsd,
          },
        },
      ],
    }),
  });
  expect(response.status).toBe(207);
  expect(((await response.json()) as { errors: unknown[] }).errors).toEqual([]);
}

/** Waits until the page has drawn what it loads: its heading, and no "Loading…" left. */
async function settle(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  await expect.poll(() => page.locator('main').innerText()).not.toMatch(/Loading/);
}

// The functions below run in the page; they are strings because the tests are type-checked
// without the DOM's types.

/** Numbers in the page's visible text with more than six significant digits, or in e-notation. */
function longFloats(page: Page): Promise<string[]> {
  return page.evaluate<string[]>(`
    [...document.body.innerText.matchAll(/\\$\\d+(?:\\.\\d+)?e-?\\d+|\\d+\\.\\d+/g)]
      .map((match) => match[0])
      .filter((number) => number.includes('e') || number.replace('.', '').replace(/^0+/, '').length > 6)
  `);
}

/** What sticks out sideways: the page itself, and the tables that scroll (named by their heading). */
function overflow(page: Page): Promise<{ page: number; tables: string[] }> {
  return page.evaluate(`({
    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    tables: [...document.querySelectorAll('.table-wrap')]
      .filter((table) => table.scrollWidth > table.clientWidth + 1)
      .map((table) => table.closest('section, figure, main')?.querySelector('h1, h2, h3')?.textContent ?? '?'),
  })`);
}

function sidebarBox(page: Page): Promise<{ width: number; height: number; pageWidth: number; pageHeight: number }> {
  return page.evaluate(`(() => {
    const box = document.querySelector('.sidebar')?.getBoundingClientRect();
    return {
      width: box?.width ?? 0,
      height: box?.height ?? 0,
      pageWidth: document.documentElement.clientWidth,
      pageHeight: Math.max(document.documentElement.scrollHeight, window.innerHeight),
    };
  })()`);
}

/** Each chart canvas: how many pixels are drawn in its two outermost columns (a label cut at the edge). */
function inkAtChartEdges(page: Page): Promise<Array<{ title: string; left: number; right: number }>> {
  return page.evaluate(`
    [...document.querySelectorAll('.chart canvas')].map((canvas) => {
      const context = canvas.getContext('2d');
      const inkIn = (x) => {
        const pixels = context.getImageData(x, 0, 2, canvas.height).data;
        let inked = 0;
        for (let index = 3; index < pixels.length; index += 4) if (pixels[index] > 0) inked += 1;
        return inked;
      };
      return {
        title: canvas.closest('figure')?.querySelector('h3')?.textContent ?? '?',
        left: inkIn(0),
        right: inkIn(canvas.width - 2),
      };
    })
  `);
}

/** The Overview of the org with the calls, once its numbers are in. */
async function openOverview(size: { width: number; height: number } = SIZES[0]): Promise<Page> {
  const page = await rig.newPage({ viewport: { width: size.width, height: size.height }, storageState: signedIn });
  onTestFailed(() => screenshot(page, `failed-layout-overview-${size.width}`));
  const errors = watchForErrors(page);
  onTestFinished(() => expect(errors, errors.join('\n')).toEqual([]));
  await page.goto(`${rig.server.url}/overview`);
  await settle(page);
  await expect.poll(() => page.getByTestId('stat-requests').locator('dd').textContent()).toBe('7');
  return page;
}

describe('the dashboard at a laptop and a phone size, in Chromium', () => {
  it('lists the calls already made in Live activity as soon as the Overview opens', async () => {
    const page = await openOverview();
    // Seven calls went through before the page opened; none comes after.
    await expect.poll(() => page.getByTestId('live-row').count()).toBe(7);
    expect(await page.getByRole('region', { name: 'Live activity' }).innerText()).toContain('openai/gpt-4o-mini');
  });

  it('groups calls refused before routing as such, not under a provider called "none"', async () => {
    const page = await openOverview();
    const byProvider = page.locator('.breakdowns section').filter({ hasText: 'By provider' });
    await expect.poll(() => byProvider.innerText()).toContain('no provider (refused before routing)');
    expect(await byProvider.locator('td').allInnerTexts()).not.toContain('none');
  });

  it('shows chart legends without placeholders, and the values under the pointer on hover', async () => {
    const page = await openOverview();
    const legends = page.getByTestId('chart-legend');
    await expect.poll(() => legends.count()).toBe(4);
    for (const legend of await legends.allInnerTexts()) expect(legend).not.toMatch(/--|—/);
    const costChart = page.locator('figure').filter({ hasText: 'Cost' });
    const box = await costChart.locator('.chart canvas').first().boundingBox();
    if (!box) throw new Error('the cost chart has no canvas');
    // The newest bucket, at the right end of the chart, holds this hour's calls.
    await page.mouse.move(box.x + box.width - 20, box.y + box.height / 2);
    await expect.poll(() => costChart.getByTestId('chart-legend').innerText()).toMatch(/Cost\s*\$0\.000\d+/);
    await screenshot(page, 'layout-overview-hover');
  });

  for (const size of SIZES) {
    it(`draws chart axes whose labels fit the chart at ${size.width}×${size.height}`, async () => {
      const page = await openOverview(size);
      // A label cut at the chart's edge leaves ink in the canvas's outermost columns.
      await expect
        .poll(() => inkAtChartEdges(page))
        .toEqual(['Requests and errors', 'Tokens', 'Cost', 'Latency'].map((title) => ({ title, left: 0, right: 0 })));
    });
  }

  for (const size of SIZES) {
    it(`fits every page at ${size.width}×${size.height}, with the sidebar the page's full height`, async () => {
      const page = await rig.newPage({ viewport: { width: size.width, height: size.height }, storageState: signedIn });
      onTestFailed(() => screenshot(page, `failed-layout-${size.name}`));
      const errors = watchForErrors(page);
      for (const path of [...PAGES, `/requests/${ingestedTraceId}`]) {
        await page.goto(`${rig.server.url}${path}`);
        await settle(page);
        const name = path.startsWith('/requests/') ? 'request-detail' : path.slice(1);
        await screenshot(page, `layout-${name}-${size.width}`);
        expect({ path, floats: await longFloats(page) }).toEqual({ path, floats: [] });
        const sideways = await overflow(page);
        expect({ path, page: sideways.page }).toEqual({ path, page: 0 });
        // Tables fit at a laptop's width; on a phone what does not fit scrolls inside its table.
        if (size.width >= 1366) expect({ path, tables: sideways.tables }).toEqual({ path, tables: [] });
        const sidebar = await sidebarBox(page);
        if (size.width >= 1366) {
          expect({ path, height: Math.round(sidebar.height) }).toEqual({ path, height: sidebar.pageHeight });
        } else {
          // On a phone the sidebar is a bar across the top, its menu folded.
          expect({ path, width: Math.round(sidebar.width) }).toEqual({ path, width: sidebar.pageWidth });
        }
      }
      expect(errors, errors.join('\n')).toEqual([]);
    });
  }

  it("shows on the keys page the limits that apply to a key, the org's where it sets none", async () => {
    const page = await rig.newPage({ viewport: { width: 1366, height: 768 }, storageState: signedIn });
    await page.goto(`${rig.server.url}/keys`);
    const row = page.getByTestId('key-row').filter({ hasText: 'layout' });
    // A signed-up org is on the free plan: its per-minute limits and spend cap bind the key.
    await expect.poll(() => row.locator('td.limits').innerText()).toMatch(/\d+ req\/min \(org\)/);
    const limits = await row.locator('td.limits').innerText();
    expect(limits).toMatch(/\$\d+\.\d{2}\/month \(org\)/);
    expect(limits).not.toBe('none');
  });

  it('gives Getting started examples with a model that answers on a fresh install', async () => {
    const page = await rig.newPage({ viewport: { width: 1366, height: 768 }, storageState: signedIn });
    await page.goto(`${rig.server.url}/getting-started`);
    await settle(page);
    const snippets = (await page.locator('pre').allInnerTexts()).slice(0, 3);
    expect(snippets.length).toBe(3);
    for (const snippet of snippets) {
      const model = /model["']?\s*[:=]\s*["']([^"']+)["']/.exec(snippet)?.[1];
      expect(model, snippet).toBeDefined();
      // The model each example names answers through this server's gateway, with no provider key set.
      expect({ model, status: await gatewayCall(model ?? '') }).toEqual({ model, status: 200 });
    }
  });
});
