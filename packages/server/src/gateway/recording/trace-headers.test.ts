import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, type SessionClient, signUp, type TestContext } from '../../../test/test-app.js';
import { decodeHeaderText } from './trace-headers.js';

/** Non-ASCII in `x-switchyard-*` headers is kept as the client wrote it, however its bytes came. */
let context: TestContext;
let origin: URL;
let owner: SessionClient;
let secret: string;

beforeAll(async () => {
  context = await createTestApp();
  origin = new URL(await context.app.listen({ port: 0, host: '127.0.0.1' }));
  ({ client: owner } = await signUp(context.app));
  secret = (await createKey(owner, { scopes: ['gateway'] })).secret;
});
afterAll(() => context?.close());

const body = JSON.stringify({ model: 'mock/echo', messages: [{ role: 'user', content: 'hi' }] });

/** A gateway call written byte by byte, as curl sends it: header values as UTF-8. */
function callWithRawHeaders(headerBytes: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(origin.port), origin.hostname);
    let received = '';
    socket.on('connect', () => {
      socket.write(
        `POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\nconnection: close\r\nauthorization: Bearer ${secret}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n`,
      );
      socket.write(headerBytes);
      socket.write(`\r\n\r\n${body}`);
    });
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

async function tagsOf(traceId: string): Promise<string[]> {
  await context.app.services.batchWriter.flush();
  const trace = await owner.request('GET', `/api/traces/${traceId}`);
  expect(trace.statusCode, trace.body).toBe(200);
  return trace.json().tags;
}

describe('x-switchyard-tags with non-ASCII text', () => {
  it('sent as UTF-8 bytes (curl), is stored as written', async () => {
    const answer = await callWithRawHeaders(
      Buffer.concat([
        Buffer.from('x-switchyard-trace-id: utf8-trace\r\nx-switchyard-tags: '),
        Buffer.from('café,日本'),
      ]),
    );
    expect(answer).toMatch(/^HTTP\/1\.1 200/);
    expect(await tagsOf('utf8-trace')).toEqual(['café', '日本']);
  });

  it('sent as latin1 (fetch), is stored as written', async () => {
    const response = await fetch(new URL('/v1/chat/completions', origin), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${secret}`,
        'content-type': 'application/json',
        'x-switchyard-trace-id': 'latin1-trace',
        'x-switchyard-tags': 'café',
      },
      body,
    });
    expect(response.status).toBe(200);
    expect(await tagsOf('latin1-trace')).toEqual(['café']);
  });
});

describe('decodeHeaderText', () => {
  it.each([
    ['plain ASCII', 'checkout', 'checkout'],
    ['UTF-8 bytes as Node reads them', Buffer.from('café').toString('latin1'), 'café'],
    ['latin1 that is not UTF-8', 'caf\u00e9', 'café'],
    ['four-byte UTF-8', Buffer.from('🚂').toString('latin1'), '🚂'],
  ])('reads %s', (_what, raw, text) => {
    expect(decodeHeaderText(raw)).toBe(text);
  });
});
