import { z } from 'zod';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { type Attributes, type AttributeValue, MAX_ATTRIBUTE_DEPTH, type OtlpSpan, toStatusCode } from './otlp-span.js';

// OTLP/JSON: lowerCamelCase keys, hex ids, 64-bit integers as strings or numbers, enums as integers
// (their proto names are accepted too). Unknown keys are ignored, as the protocol requires.

const hexId = z.string().regex(/^[0-9a-fA-F]*$/, 'expected a hex string');
const integral = z.number().refine(Number.isInteger, 'expected an integer');
const unsignedInt64 = z
  .union([z.string().regex(/^\d+$/, 'expected an unsigned integer'), integral.nonnegative()])
  .transform((value) => BigInt(value));
const signedInt64 = z
  .union([z.string().regex(/^-?\d+$/, 'expected an integer'), integral])
  .transform((value) => Number(value));
const double = z.union([z.number(), z.enum(['NaN', 'Infinity', '-Infinity'])]).transform((value) => Number(value));

const SPAN_KIND_NAMES = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'].map(
  (name) => `SPAN_KIND_${name}`,
);
const STATUS_CODE_NAMES = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
const enumValue = (names: string[]) =>
  z
    .union([integral, z.enum(names as [string, ...string[]])], {
      error: `expected an integer or one of ${names.join(', ')}`,
    })
    .transform((value) => (typeof value === 'number' ? value : names.indexOf(value)));

/** Values are checked level by level in `toAttributeValue`, which bounds the nesting. */
const keyValueSchema = z.object({ key: z.string(), value: z.unknown().optional() });
const keyValuesSchema = z.array(keyValueSchema).nullish();

const anyValueSchema = z.object({
  stringValue: z.string().nullish(),
  boolValue: z.boolean().nullish(),
  intValue: signedInt64.nullish(),
  doubleValue: double.nullish(),
  arrayValue: z.object({ values: z.array(z.unknown()).nullish() }).nullish(),
  kvlistValue: z.object({ values: z.array(z.unknown()).nullish() }).nullish(),
  bytesValue: z.base64().nullish(),
});

const spanSchema = z.object({
  traceId: hexId.nullish(),
  spanId: hexId.nullish(),
  parentSpanId: hexId.nullish(),
  name: z.string().nullish(),
  kind: enumValue(SPAN_KIND_NAMES).nullish(),
  startTimeUnixNano: unsignedInt64.nullish(),
  endTimeUnixNano: unsignedInt64.nullish(),
  attributes: keyValuesSchema,
  events: z
    .array(z.object({ timeUnixNano: unsignedInt64.nullish(), name: z.string().nullish(), attributes: keyValuesSchema }))
    .nullish(),
  status: z.object({ message: z.string().nullish(), code: enumValue(STATUS_CODE_NAMES).nullish() }).nullish(),
});

const requestSchema = z.object({
  resourceSpans: z
    .array(
      z.object({
        resource: z.object({ attributes: keyValuesSchema }).nullish(),
        scopeSpans: z
          .array(
            z.object({
              scope: z.object({ name: z.string().nullish(), version: z.string().nullish() }).nullish(),
              spans: z.array(spanSchema).nullish(),
            }),
          )
          .nullish(),
      }),
    )
    .nullish(),
});

type KeyValues = z.infer<typeof keyValuesSchema>;

/**
 * Decodes an OTLP/HTTP JSON `ExportTraceServiceRequest` (already parsed from text) into spans.
 * A body of the wrong shape throws `OtlpDecodeError` naming the first bad field.
 */
export function decodeOtlpJson(body: unknown): OtlpSpan[] {
  const request = parseAt(requestSchema, body, []);
  const spans: OtlpSpan[] = [];
  (request.resourceSpans ?? []).forEach((resourceSpans, resourceIndex) => {
    const resourcePath = ['resourceSpans', resourceIndex];
    const resource = toAttributes(resourceSpans.resource?.attributes, [...resourcePath, 'resource', 'attributes'], 0);
    (resourceSpans.scopeSpans ?? []).forEach((scopeSpans, scopeIndex) => {
      const scopePath = [...resourcePath, 'scopeSpans', scopeIndex];
      const scope = {
        ...(scopeSpans.scope?.name ? { name: scopeSpans.scope.name } : {}),
        ...(scopeSpans.scope?.version ? { version: scopeSpans.scope.version } : {}),
      };
      (scopeSpans.spans ?? []).forEach((span, spanIndex) => {
        const spanPath = [...scopePath, 'spans', spanIndex];
        const parentSpanId = span.parentSpanId?.toLowerCase();
        spans.push({
          traceId: span.traceId?.toLowerCase() ?? '',
          spanId: span.spanId?.toLowerCase() ?? '',
          // Empty (and the invalid all-zero id some exporters send) both mean "no parent".
          ...(parentSpanId && /[^0]/.test(parentSpanId) ? { parentSpanId } : {}),
          name: span.name ?? '',
          kind: span.kind ?? 0,
          startTimeUnixNano: span.startTimeUnixNano ?? 0n,
          endTimeUnixNano: span.endTimeUnixNano ?? 0n,
          attributes: toAttributes(span.attributes, [...spanPath, 'attributes'], 0),
          events: (span.events ?? []).map((event, eventIndex) => ({
            name: event.name ?? '',
            timeUnixNano: event.timeUnixNano ?? 0n,
            attributes: toAttributes(event.attributes, [...spanPath, 'events', eventIndex, 'attributes'], 0),
          })),
          status: {
            code: toStatusCode(span.status?.code ?? 0),
            ...(span.status?.message ? { message: span.status.message } : {}),
          },
          resource,
          scope,
        });
      });
    });
  });
  return spans;
}

type Path = (string | number)[];

function toAttributes(keyValues: KeyValues, path: Path, depth: number): Attributes {
  const entries: [string, AttributeValue][] = [];
  (keyValues ?? []).forEach((keyValue, index) => {
    const value = toAttributeValue(keyValue.value, [...path, index, 'value'], depth);
    if (value !== undefined) entries.push([keyValue.key, value]);
  });
  // fromEntries defines own properties, so a key like `__proto__` stays an ordinary key.
  return Object.fromEntries(entries);
}

/** An empty or absent AnyValue carries nothing: undefined, and the attribute is left out. */
function toAttributeValue(raw: unknown, path: Path, depth: number): AttributeValue | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (depth > MAX_ATTRIBUTE_DEPTH) {
    throw new OtlpDecodeError(`nested deeper than ${MAX_ATTRIBUTE_DEPTH} levels`, { field: path.join('.') });
  }
  const value = parseAt(anyValueSchema, raw, path);
  if (value.stringValue !== undefined && value.stringValue !== null) return value.stringValue;
  if (value.boolValue !== undefined && value.boolValue !== null) return value.boolValue;
  if (value.intValue !== undefined && value.intValue !== null) return value.intValue;
  if (value.doubleValue !== undefined && value.doubleValue !== null) return value.doubleValue;
  if (value.bytesValue !== undefined && value.bytesValue !== null) {
    return new Uint8Array(Buffer.from(value.bytesValue, 'base64'));
  }
  if (value.arrayValue) {
    const values: AttributeValue[] = [];
    (value.arrayValue.values ?? []).forEach((item, index) => {
      const converted = toAttributeValue(item, [...path, 'arrayValue', 'values', index], depth + 1);
      if (converted !== undefined) values.push(converted);
    });
    return values;
  }
  if (value.kvlistValue) {
    const keyValues = parseAt(keyValuesSchema, value.kvlistValue.values, [...path, 'kvlistValue', 'values']);
    return toAttributes(keyValues, [...path, 'kvlistValue', 'values'], depth + 1);
  }
  return undefined;
}

function parseAt<TSchema extends z.ZodType>(schema: TSchema, value: unknown, path: Path): z.output<TSchema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = [...path, ...(issue?.path ?? [])].map(String).join('.');
  throw new OtlpDecodeError(issue?.message ?? 'invalid value', field ? { field } : {});
}
