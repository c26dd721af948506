import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertWebhook } from './alert-webhook.js';

/** A webhook that takes requests and never answers them. */
let silent: Server;
let url: string;
const arrived: IncomingMessage[] = [];
let onArrival: () => void = () => {};

beforeAll(async () => {
  silent = createServer((request) => {
    arrived.push(request);
    onArrival();
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/hooks/T000/B000/secret`;
});
afterAll(async () => {
  silent.closeAllConnections();
  await new Promise((resolve) => silent.close(resolve));
});

describe('AlertWebhook', () => {
  it('gives up on a webhook that does not answer when the server shuts down, without retrying', async () => {
    const warnings: unknown[] = [];
    const webhook = new AlertWebhook({ log: { warn: (...args: unknown[]) => warnings.push(args) } });
    const firstArrival = new Promise<void>((resolve) => {
      onArrival = resolve;
    });
    const delivery = webhook.deliver({ url, body: { text: 'FIRING' } });
    await firstArrival;
    webhook.abortAll();
    expect(await delivery).toEqual({ delivered: false, error: 'the server shut down before the webhook answered' });
    expect(arrived).toHaveLength(1);
    // The log names the host, never the secret path.
    expect(JSON.stringify(warnings)).not.toContain('secret');
  });
});
