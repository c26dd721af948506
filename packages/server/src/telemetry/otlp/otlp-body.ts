import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { OtlpDecodeError } from './otlp-decode-error.js';

const gunzipAsync = promisify(gunzip);

/**
 * The request body as the exporter meant it: gunzipped when `content-encoding` says gzip (the only
 * compression OTLP/HTTP defines), never larger than `maxBytes` once inflated, so a small compressed
 * body cannot expand into a memory bomb.
 * Throws `OtlpDecodeError` with kind `too-large` (413), `unsupported` (415) or `malformed` (400).
 */
export async function decompressOtlpBody(options: {
  body: Uint8Array;
  contentEncoding: string | undefined;
  maxBytes: number;
}): Promise<Uint8Array> {
  const encoding = options.contentEncoding?.trim().toLowerCase() || 'identity';
  if (encoding === 'identity') {
    if (options.body.byteLength > options.maxBytes) throw tooLarge(options.maxBytes);
    return options.body;
  }
  if (encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new OtlpDecodeError(`content-encoding ${encoding} is not supported (use gzip or none)`, {
      kind: 'unsupported',
    });
  }
  try {
    return new Uint8Array(await gunzipAsync(options.body, { maxOutputLength: options.maxBytes }));
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(options.maxBytes);
    throw new OtlpDecodeError('body is not valid gzip', { cause: error });
  }
}

function tooLarge(maxBytes: number): OtlpDecodeError {
  return new OtlpDecodeError(`body is larger than ${maxBytes} bytes`, { kind: 'too-large' });
}
