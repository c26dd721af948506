/** An attribute value as OTLP's AnyValue carries it; int64 becomes a number (exact up to 2^53). */
export type AttributeValue =
  | string
  | number
  | boolean
  | Uint8Array
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

/** OTLP status codes: unset, ok, error. */
export type OtlpStatusCode = 0 | 1 | 2;

export type OtlpSpanEvent = { name: string; timeUnixNano: bigint; attributes: Attributes };

/** One span of an OTLP export, the same whether it arrived as JSON or protobuf. */
export type OtlpSpan = {
  /** Lowercase hex; 32 characters when valid. */
  traceId: string;
  /** Lowercase hex; 16 characters when valid. */
  spanId: string;
  /** Absent on a root span. */
  parentSpanId?: string;
  name: string;
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  /** 0 when the exporter left it unset. */
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  events: OtlpSpanEvent[];
  status: { code: OtlpStatusCode; message?: string };
  resource: Attributes;
  scope: { name?: string; version?: string };
};

/**
 * Deepest array/kvlist nesting accepted in an attribute value: real attributes are shallow, and a
 * bound keeps a hostile body from exhausting the stack.
 */
export const MAX_ATTRIBUTE_DEPTH = 32;

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Status codes outside 0..2 (a newer protocol) read as unset. */
export function toStatusCode(code: number): OtlpStatusCode {
  return code === 1 || code === 2 ? code : 0;
}
