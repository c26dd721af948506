import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeOtlpTraces, otlpEncodingOf } from './decode-traces.js';
import { decompressOtlpBody } from './otlp-body.js';
import { OtlpDecodeError } from './otlp-decode-error.js';

const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

async function rejection(promise: Promise<unknown>): Promise<OtlpDecodeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error instanceof OtlpDecodeError) return error;
  throw new Error('expected an OtlpDecodeError');
}

describe('otlpEncodingOf', () => {
  it('reads the media type, ignoring parameters and case', () => {
    expect(otlpEncodingOf('application/json; charset=utf-8')).toBe('json');
    expect(otlpEncodingOf('Application/X-Protobuf')).toBe('protobuf');
    expect(otlpEncodingOf('application/protobuf')).toBe('protobuf');
    expect(otlpEncodingOf('text/plain')).toBeUndefined();
    expect(otlpEncodingOf(undefined)).toBeUndefined();
  });
});

describe('decodeOtlpTraces', () => {
  it('decodes by content type', () => {
    expect(decodeOtlpTraces({ body: json({ resourceSpans: [] }), contentType: 'application/json' })).toEqual({
      encoding: 'json',
      spans: [],
    });
    expect(decodeOtlpTraces({ body: new Uint8Array(0), contentType: 'application/x-protobuf' })).toEqual({
      encoding: 'protobuf',
      spans: [],
    });
  });

  it('refuses other content types as unsupported', () => {
    expect(() => decodeOtlpTraces({ body: new Uint8Array(0), contentType: 'text/plain' })).toThrow(
      expect.objectContaining({ name: 'OtlpDecodeError', kind: 'unsupported' }),
    );
  });

  it('reports a body that is not JSON as malformed', () => {
    expect(() =>
      decodeOtlpTraces({ body: new TextEncoder().encode('{"resourceSpans":'), contentType: 'application/json' }),
    ).toThrow(
      expect.objectContaining({ kind: 'malformed', message: expect.stringMatching(/^body is not valid JSON/) }),
    );
  });
});

describe('decompressOtlpBody', () => {
  const body = json({ resourceSpans: [] });

  it('passes an uncompressed body through and inflates gzip', async () => {
    expect(await decompressOtlpBody({ body, contentEncoding: undefined, maxBytes: 1_000 })).toBe(body);
    const inflated = await decompressOtlpBody({ body: gzipSync(body), contentEncoding: 'gzip', maxBytes: 1_000 });
    expect(new TextDecoder().decode(inflated)).toBe('{"resourceSpans":[]}');
  });

  it('stops a body that inflates past the limit', async () => {
    const bomb = gzipSync(Buffer.alloc(1024 * 1024));
    expect(bomb.length).toBeLessThan(2_000);
    const error = await rejection(decompressOtlpBody({ body: bomb, contentEncoding: 'gzip', maxBytes: 64 * 1024 }));
    expect(error).toMatchObject({ kind: 'too-large', message: 'body is larger than 65536 bytes' });
    const plain = await rejection(decompressOtlpBody({ body, contentEncoding: 'identity', maxBytes: 4 }));
    expect(plain.kind).toBe('too-large');
  });

  it('reports broken gzip as malformed and other encodings as unsupported', async () => {
    expect((await rejection(decompressOtlpBody({ body, contentEncoding: 'gzip', maxBytes: 1_000 }))).kind).toBe(
      'malformed',
    );
    expect((await rejection(decompressOtlpBody({ body, contentEncoding: 'br', maxBytes: 1_000 }))).kind).toBe(
      'unsupported',
    );
  });
});
