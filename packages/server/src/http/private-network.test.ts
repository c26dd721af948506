import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPublicOnlyAgent,
  isNonPublicAddress,
  NonPublicAddressError,
  nonPublicUrlReason,
} from './private-network.js';

describe('which addresses an org URL may reach', () => {
  it.each([
    '127.0.0.1',
    '127.1.2.3',
    '10.0.0.5',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '[::ffff:a9fe:a9fe]',
  ])('refuses %s', (address) => {
    expect(isNonPublicAddress(address)).toBe(true);
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '104.18.6.192', '2606:4700::6810:1', '::ffff:8.8.8.8'])(
    'allows %s',
    (address) => {
      expect(isNonPublicAddress(address)).toBe(false);
    },
  );

  it('judges what a URL says before it is saved, naming the variable that allows it', () => {
    expect(nonPublicUrlReason('http://169.254.169.254/latest/meta-data')).toMatch(
      /169\.254\.169\.254.*ALLOW_PRIVATE_URLS=true/,
    );
    expect(nonPublicUrlReason('http://localhost:11434/v1')).toMatch(/localhost, this server itself/);
    expect(nonPublicUrlReason('http://LOCALHOST.:11434/v1')).toMatch(/localhost/);
    expect(nonPublicUrlReason('http://[::1]:8080/hook')).toMatch(/\[::1\]/);
    // The URL parser reads 2130706433 as 127.0.0.1.
    expect(nonPublicUrlReason('http://2130706433/v1')).toMatch(/127\.0\.0\.1/);
    expect(nonPublicUrlReason('https://hooks.slack.com/services/T000/B000/XXXX')).toBeUndefined();
    expect(nonPublicUrlReason('https://api.together.xyz/v1')).toBeUndefined();
  });
});

describe('the public-only agent', () => {
  let server: Server;
  let port: number;
  let served = 0;
  beforeAll(async () => {
    server = createServer((_request, response) => {
      served += 1;
      response.end('inside');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('refuses an IP literal and a name that resolves inside, before any byte is sent', async () => {
    const agent = createPublicOnlyAgent({});
    try {
      for (const host of ['127.0.0.1', 'localhost']) {
        const refused = await request(`http://${host}:${port}/`, { dispatcher: agent }).catch((error) => error);
        expect(refused, host).toBeInstanceOf(NonPublicAddressError);
        expect(refused.message).toContain('ALLOW_PRIVATE_URLS=true');
      }
      expect(served).toBe(0);
    } finally {
      await agent.close();
    }
  });

  it('is needed: an ordinary agent reaches the same server', async () => {
    const agent = new Agent();
    try {
      const response = await request(`http://localhost:${port}/`, { dispatcher: agent });
      expect(await response.body.text()).toBe('inside');
      expect(served).toBe(1);
    } finally {
      await agent.close();
    }
  });
});
