import type { IngestEnvelope } from './ingest-event.js';

export type SerializedEvent = { id: string; json: string; bytes: number };

/**
 * An event as the JSON it is sent as. Values JSON cannot hold do not lose the event: a cycle becomes
 * "[Circular]", a bigint its decimal string. Returns undefined only when even that fails.
 */
export function serializeEvent(event: IngestEnvelope): SerializedEvent | undefined {
  let json: string | undefined;
  try {
    json = JSON.stringify(event);
  } catch {
    try {
      json = JSON.stringify(event, tolerantReplacer());
    } catch {
      return undefined;
    }
  }
  return { id: event.id, json, bytes: utf8ByteLength(json) };
}

function tolerantReplacer() {
  const ancestors: object[] = [];
  return function replacer(this: unknown, _key: string, value: unknown) {
    if (typeof value === 'bigint') return value.toString();
    if (typeof value !== 'object' || value === null) return value;
    // `this` is the object holding `value`; drop the ancestors we have climbed back out of.
    while (ancestors.length > 0 && ancestors.at(-1) !== this) ancestors.pop();
    if (ancestors.includes(value)) return '[Circular]';
    ancestors.push(value);
    return value;
  };
}

/** Bytes of a string in UTF-8, without encoding it (Buffer.byteLength is Node-only). */
export function utf8ByteLength(text: string): number {
  let bytes = 0;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      // A surrogate pair is one 4-byte code point.
      bytes += 4;
      index += 1;
    } else bytes += 3;
  }
  return bytes;
}
