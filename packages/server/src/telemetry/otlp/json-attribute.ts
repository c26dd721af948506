import { safeParseJson } from '../../parse-json.js';
import type { AttributeValue } from './otlp-span.js';

/**
 * An attribute value as JSON: bytes become base64, and a string holding JSON (OTLP attributes
 * are often serialized messages) becomes the parsed value; any other string stays as it is.
 */
export function parseJsonAttribute(value: AttributeValue | undefined): unknown {
  if (typeof value !== 'string') return toJsonValue(value);
  const trimmed = value.trim();
  if (!/^[[{]/.test(trimmed)) return value;
  const parsed = safeParseJson({ text: trimmed });
  return parsed.success ? parsed.value : value;
}

/** The value with bytes written as base64, so it serializes to what it means. */
export function toJsonValue(value: AttributeValue | undefined): unknown {
  if (value instanceof Uint8Array)
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJsonValue(item)]));
  }
  return value;
}
