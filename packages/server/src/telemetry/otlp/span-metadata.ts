import { boundJson, truncateUtf8 } from './bounded-json.js';
import { toJsonValue } from './json-attribute.js';
import type { Attributes, OtlpSpan } from './otlp-span.js';
import { isoFromUnixNanos } from './unix-nanos.js';

/** Bounds that keep one span's metadata small next to its input and output. */
export const METADATA_LIMITS = {
  attributes: 100,
  resourceAttributes: 50,
  events: 20,
  eventAttributes: 20,
  arrayItems: 100,
  stringBytes: 8 * 1024,
  totalBytes: 128 * 1024,
} as const;

/**
 * What the mapping did not turn into fields, kept for the trace view: the unmapped attributes, the
 * resource (`service.name`, ...), the instrumentation scope and the span's other events (such as
 * `exception` with its stack trace). Bounded in keys, string length and total size.
 */
export function metadataOf(options: {
  span: OtlpSpan;
  unmappedAttributes: Attributes;
  mappedEventNames: ReadonlySet<string>;
}): unknown {
  const { span } = options;
  const events = span.events.filter((event) => !options.mappedEventNames.has(event.name));
  const metadata = {
    attributes: boundedAttributes(options.unmappedAttributes, METADATA_LIMITS.attributes),
    resource: boundedAttributes(span.resource, METADATA_LIMITS.resourceAttributes),
    ...(span.scope.name || span.scope.version ? { scope: span.scope } : {}),
    ...(events.length
      ? {
          events: events.slice(0, METADATA_LIMITS.events).map((event) => ({
            name: event.name,
            time: isoFromUnixNanos(event.timeUnixNano),
            attributes: boundedAttributes(event.attributes, METADATA_LIMITS.eventAttributes),
          })),
        }
      : {}),
    ...(events.length > METADATA_LIMITS.events ? { droppedEvents: events.length - METADATA_LIMITS.events } : {}),
  };
  return boundJson({ value: metadata, maxBytes: METADATA_LIMITS.totalBytes });
}

/** The trace's share: which service and environment sent it. */
export function resourceMetadataOf(span: OtlpSpan): unknown {
  const resource = boundedAttributes(span.resource, METADATA_LIMITS.resourceAttributes);
  return boundJson({ value: { resource }, maxBytes: 16 * 1024 });
}

function boundedAttributes(attributes: Attributes, maxKeys: number): Record<string, unknown> {
  const entries = Object.entries(attributes);
  const kept = entries.slice(0, maxKeys).map(([key, value]) => [key, boundedValue(toJsonValue(value))]);
  if (entries.length > maxKeys) kept.push(['switchyard.droppedAttributes', entries.length - maxKeys]);
  return Object.fromEntries(kept);
}

function boundedValue(value: unknown): unknown {
  if (typeof value === 'string') {
    const truncated = truncateUtf8({ text: value, maxBytes: METADATA_LIMITS.stringBytes });
    return truncated === value ? value : `${truncated}…`;
  }
  if (Array.isArray(value)) return value.slice(0, METADATA_LIMITS.arrayItems).map(boundedValue);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).slice(0, METADATA_LIMITS.attributes);
    return Object.fromEntries(entries.map(([key, item]) => [key, boundedValue(item)]));
  }
  return value;
}
