import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserRig, screenshot, startRig } from './browser.js';

let rig: BrowserRig;

beforeAll(async () => {
  // The server's default: sign-up only with an invitation.
  rig = await startRig({ env: { SIGNUP: 'invite' } });
});

afterAll(async () => rig?.close());

describe('sign-up on a server closed to it, in Chromium', () => {
  it("shows the server's refusal, which says how to get in", async () => {
    const page = await rig.newPage();
    await page.goto(`${rig.server.url}/signup`);
    await page.getByLabel('Email').fill('walk-in@example.com');
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect.poll(() => page.getByText('Sign-up is by invitation only on this server').count()).toBe(1);
    await expect.poll(() => page.getByText(/SIGNUP=open/).count()).toBe(1);
    expect(new URL(page.url()).pathname).toBe('/signup');
    await screenshot(page, 'signup-closed');
  });
});
