import { safeParseJson } from '../../parse-json.js';
import { decodeOtlpJson } from './decode-json-traces.js';
import { decodeOtlpProtobuf } from './decode-protobuf-traces.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import type { OtlpSpan } from './otlp-span.js';

/** The two OTLP/HTTP encodings; the response is written in the request's encoding. */
export type OtlpEncoding = 'json' | 'protobuf';

export const OTLP_CONTENT_TYPES: Record<OtlpEncoding, string> = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
};

/** Which encoding a `content-type` header names, or undefined (the route answers 415). */
export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'application/json') return 'json';
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  return undefined;
}

/**
 * Decodes an OTLP/HTTP trace export body (already decompressed) by its `content-type`.
 * Throws `OtlpDecodeError`: kind `unsupported` for another content type, `malformed` for a bad body.
 *
 * @example
 * const { encoding, spans } = decodeOtlpTraces({ body, contentType: request.headers['content-type'] });
 */
export function decodeOtlpTraces(options: { body: Uint8Array; contentType: string | undefined }): {
  encoding: OtlpEncoding;
  spans: OtlpSpan[];
} {
  const encoding = otlpEncodingOf(options.contentType);
  if (!encoding) {
    throw new OtlpDecodeError(
      `content-type ${options.contentType ?? '(none)'} is not supported (use application/x-protobuf or application/json)`,
      { kind: 'unsupported' },
    );
  }
  if (encoding === 'protobuf') return { encoding, spans: decodeOtlpProtobuf(options.body) };
  return { encoding, spans: decodeOtlpJson(parseJsonBody(options.body)) };
}

function parseJsonBody(body: Uint8Array): unknown {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (error) {
    throw new OtlpDecodeError(`body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = safeParseJson({ text });
  if (!parsed.success) throw new OtlpDecodeError(`body is ${parsed.error.message}`, { cause: parsed.error });
  return parsed.value;
}
