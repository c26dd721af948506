import { OtlpDecodeError } from './otlp-decode-error.js';
import {
  type Attributes,
  type AttributeValue,
  bytesToHex,
  MAX_ATTRIBUTE_DEPTH,
  type OtlpSpan,
  type OtlpSpanEvent,
  toStatusCode,
} from './otlp-span.js';
import { ProtobufReader, type ProtobufTag, WIRE_TYPE } from './protobuf-reader.js';

// Field numbers from opentelemetry-proto (collector/trace/v1, trace/v1, resource/v1, common/v1).
// Errors name fields by their OTLP/JSON names, so both encodings point at the same place.

type Scope = OtlpSpan['scope'];
type KeyValueEntry = [string, AttributeValue | undefined];

/**
 * Decodes an OTLP/HTTP protobuf `ExportTraceServiceRequest` into spans. Unknown fields are skipped;
 * anything malformed throws `OtlpDecodeError` naming the field (`resourceSpans.0.scopeSpans.0.spans.3.name`).
 */
export function decodeOtlpProtobuf(bytes: Uint8Array): OtlpSpan[] {
  const spans: OtlpSpan[] = [];
  let index = 0;
  forEachField(bytes, (tag, reader) => {
    if (tag.fieldNumber !== 1) return reader.skip(tag);
    const field = `resourceSpans.${index++}`;
    const payload = read(field, tag, WIRE_TYPE.lengthDelimited, () => reader.readLengthDelimited());
    within(field, () => decodeResourceSpans(payload, spans));
  });
  return spans;
}

function decodeResourceSpans(bytes: Uint8Array, spans: OtlpSpan[]): void {
  let resource: Attributes = {};
  const scopeSpans: Uint8Array[] = [];
  forEachField(bytes, (tag, reader) => {
    if (tag.fieldNumber === 1) {
      const payload = read('resource', tag, WIRE_TYPE.lengthDelimited, () => reader.readLengthDelimited());
      resource = within('resource', () => decodeKeyValueList(payload, 'attributes', 0));
    } else if (tag.fieldNumber === 2) {
      const field = `scopeSpans.${scopeSpans.length}`;
      scopeSpans.push(read(field, tag, WIRE_TYPE.lengthDelimited, () => reader.readLengthDelimited()));
    } else reader.skip(tag);
  });
  // Fields may come in any order: the resource is known only once the whole message is read.
  scopeSpans.forEach((payload, index) => {
    within(`scopeSpans.${index}`, () => decodeScopeSpans(payload, resource, spans));
  });
}

function decodeScopeSpans(bytes: Uint8Array, resource: Attributes, spans: OtlpSpan[]): void {
  let scope: Scope = {};
  const spanPayloads: Uint8Array[] = [];
  forEachField(bytes, (tag, reader) => {
    if (tag.fieldNumber === 1) {
      const payload = read('scope', tag, WIRE_TYPE.lengthDelimited, () => reader.readLengthDelimited());
      scope = within('scope', () => decodeScope(payload));
    } else if (tag.fieldNumber === 2) {
      const field = `spans.${spanPayloads.length}`;
      spanPayloads.push(read(field, tag, WIRE_TYPE.lengthDelimited, () => reader.readLengthDelimited()));
    } else reader.skip(tag);
  });
  spanPayloads.forEach((payload, index) => {
    spans.push(within(`spans.${index}`, () => decodeSpan(payload, resource, scope)));
  });
}

function decodeScope(bytes: Uint8Array): Scope {
  const scope: Scope = {};
  forEachField(bytes, (tag, reader) => {
    if (tag.fieldNumber === 1) scope.name = readString('name', tag, reader) || undefined;
    else if (tag.fieldNumber === 2) scope.version = readString('version', tag, reader) || undefined;
    else reader.skip(tag);
  });
  return scope;
}

function decodeSpan(bytes: Uint8Array, resource: Attributes, scope: Scope): OtlpSpan {
  const span: OtlpSpan = {
    traceId: '',
    spanId: '',
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {},
    events: [],
    status: { code: 0 },
    resource,
    scope,
  };
  const attributes: KeyValueEntry[] = [];
  forEachField(bytes, (tag, reader) => {
    switch (tag.fieldNumber) {
      case 1:
        span.traceId = readHex('traceId', tag, reader);
        return;
      case 2:
        span.spanId = readHex('spanId', tag, reader);
        return;
      case 4: {
        const parentSpanId = readHex('parentSpanId', tag, reader);
        // Empty (and the invalid all-zero id some exporters send) both mean "no parent".
        if (/[^0]/.test(parentSpanId)) span.parentSpanId = parentSpanId;
        else delete span.parentSpanId;
        return;
      }
      case 5:
        span.name = readString('name', tag, reader);
        return;
      case 6:
        span.kind = read('kind', tag, WIRE_TYPE.varint, () => reader.readInt32());
        return;
      case 7:
        span.startTimeUnixNano = read('startTimeUnixNano', tag, WIRE_TYPE.fixed64, () => reader.readFixed64());
        return;
      case 8:
        span.endTimeUnixNano = read('endTimeUnixNano', tag, WIRE_TYPE.fixed64, () => reader.readFixed64());
        return;
      case 9:
        pushKeyValue(attributes, `attributes.${attributes.length}`, tag, reader, 0);
        return;
      case 11: {
        const field = `events.${span.events.length}`;
        const payload = read(field, tag, WIRE_TYPE.lengthDelimited, () => reader.readLengthDelimited());
        span.events.push(within(field, () => decodeEvent(payload)));
        return;
      }
      case 15: {
        const payload = read('status', tag, WIRE_TYPE.lengthDelimited, () => reader.readLengthDelimited());
        span.status = within('status', () => decodeStatus(payload));
        return;
      }
      default:
        reader.skip(tag);
    }
  });
  span.attributes = toAttributes(attributes);
  return span;
}

function decodeEvent(bytes: Uint8Array): OtlpSpanEvent {
  const event: OtlpSpanEvent = { name: '', timeUnixNano: 0n, attributes: {} };
  const attributes: KeyValueEntry[] = [];
  forEachField(bytes, (tag, reader) => {
    if (tag.fieldNumber === 1) {
      event.timeUnixNano = read('timeUnixNano', tag, WIRE_TYPE.fixed64, () => reader.readFixed64());
    } else if (tag.fieldNumber === 2) event.name = readString('name', tag, reader);
    else if (tag.fieldNumber === 3) pushKeyValue(attributes, `attributes.${attributes.length}`, tag, reader, 0);
    else reader.skip(tag);
  });
  event.attributes = toAttributes(attributes);
  return event;
}

function decodeStatus(bytes: Uint8Array): OtlpSpan['status'] {
  let message = '';
  let code = 0;
  forEachField(bytes, (tag, reader) => {
    if (tag.fieldNumber === 2) message = readString('message', tag, reader);
    else if (tag.fieldNumber === 3) code = read('code', tag, WIRE_TYPE.varint, () => reader.readInt32());
    else reader.skip(tag);
  });
  return message ? { code: toStatusCode(code), message } : { code: toStatusCode(code) };
}

/** Resource (`attributes`) and KeyValueList (`values`) both hold `repeated KeyValue` as field 1. */
function decodeKeyValueList(bytes: Uint8Array, name: 'attributes' | 'values', depth: number): Attributes {
  const entries: KeyValueEntry[] = [];
  forEachField(bytes, (tag, reader) => {
    if (tag.fieldNumber === 1) pushKeyValue(entries, `${name}.${entries.length}`, tag, reader, depth);
    else reader.skip(tag);
  });
  return toAttributes(entries);
}

function pushKeyValue(
  entries: KeyValueEntry[],
  field: string,
  tag: ProtobufTag,
  reader: ProtobufReader,
  depth: number,
): void {
  const payload = read(field, tag, WIRE_TYPE.lengthDelimited, () => reader.readLengthDelimited());
  entries.push(within(field, () => decodeKeyValue(payload, depth)));
}

/** A key without a value (an empty AnyValue) carries nothing: it is left out. */
function toAttributes(entries: KeyValueEntry[]): Attributes {
  // fromEntries defines own properties, so a key like `__proto__` stays an ordinary key.
  return Object.fromEntries(entries.filter((entry): entry is [string, AttributeValue] => entry[1] !== undefined));
}

function decodeKeyValue(bytes: Uint8Array, depth: number): KeyValueEntry {
  let key = '';
  let value: AttributeValue | undefined;
  forEachField(bytes, (tag, reader) => {
    if (tag.fieldNumber === 1) key = readString('key', tag, reader);
    else if (tag.fieldNumber === 2) {
      const payload = read('value', tag, WIRE_TYPE.lengthDelimited, () => reader.readLengthDelimited());
      value = within('value', () => decodeAnyValue(payload, depth));
    } else reader.skip(tag);
  });
  return [key, value];
}

function decodeAnyValue(bytes: Uint8Array, depth: number): AttributeValue | undefined {
  if (depth > MAX_ATTRIBUTE_DEPTH) throw new OtlpDecodeError(`nested deeper than ${MAX_ATTRIBUTE_DEPTH} levels`);
  let value: AttributeValue | undefined;
  forEachField(bytes, (tag, reader) => {
    switch (tag.fieldNumber) {
      case 1:
        value = readString('stringValue', tag, reader);
        return;
      case 2:
        value = read('boolValue', tag, WIRE_TYPE.varint, () => reader.readBool());
        return;
      case 3:
        value = read('intValue', tag, WIRE_TYPE.varint, () => reader.readInt64());
        return;
      case 4:
        value = read('doubleValue', tag, WIRE_TYPE.fixed64, () => reader.readDouble());
        return;
      case 5: {
        const payload = read('arrayValue', tag, WIRE_TYPE.lengthDelimited, () => reader.readLengthDelimited());
        value = within('arrayValue', () => decodeArrayValue(payload, depth + 1));
        return;
      }
      case 6: {
        const payload = read('kvlistValue', tag, WIRE_TYPE.lengthDelimited, () => reader.readLengthDelimited());
        value = within('kvlistValue', () => decodeKeyValueList(payload, 'values', depth + 1));
        return;
      }
      case 7:
        // A copy, so the value does not keep the whole request buffer alive.
        value = read('bytesValue', tag, WIRE_TYPE.lengthDelimited, () => reader.readLengthDelimited()).slice();
        return;
      default:
        reader.skip(tag);
    }
  });
  return value;
}

function decodeArrayValue(bytes: Uint8Array, depth: number): AttributeValue[] {
  const values: AttributeValue[] = [];
  let index = 0;
  forEachField(bytes, (tag, reader) => {
    if (tag.fieldNumber !== 1) return reader.skip(tag);
    const field = `values.${index++}`;
    const payload = read(field, tag, WIRE_TYPE.lengthDelimited, () => reader.readLengthDelimited());
    const value = within(field, () => decodeAnyValue(payload, depth));
    if (value !== undefined) values.push(value);
  });
  return values;
}

function forEachField(bytes: Uint8Array, visit: (tag: ProtobufTag, reader: ProtobufReader) => void): void {
  const reader = new ProtobufReader(bytes);
  while (!reader.isAtEnd()) visit(reader.readTag(), reader);
}

/** Reads one field after checking its wire type; a failure names the field. */
function read<TValue>(field: string, tag: ProtobufTag, wireType: number, readValue: () => TValue): TValue {
  if (tag.wireType !== wireType) {
    throw new OtlpDecodeError(`expected wire type ${wireType}, got ${tag.wireType}`, { field });
  }
  return within(field, readValue);
}

function readString(field: string, tag: ProtobufTag, reader: ProtobufReader): string {
  return read(field, tag, WIRE_TYPE.lengthDelimited, () => reader.readString());
}

function readHex(field: string, tag: ProtobufTag, reader: ProtobufReader): string {
  return bytesToHex(read(field, tag, WIRE_TYPE.lengthDelimited, () => reader.readLengthDelimited()));
}

function within<TValue>(segment: string, run: () => TValue): TValue {
  try {
    return run();
  } catch (error) {
    throw error instanceof OtlpDecodeError ? error.within(segment) : error;
  }
}
