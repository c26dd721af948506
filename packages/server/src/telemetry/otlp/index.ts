export { decodeOtlpJson } from './decode-json-traces.js';
export { decodeOtlpProtobuf } from './decode-protobuf-traces.js';
export { decodeOtlpTraces, OTLP_CONTENT_TYPES, type OtlpEncoding, otlpEncodingOf } from './decode-traces.js';
export {
  type ExportTracePartialSuccess,
  type ExportTraceResponseJson,
  encodeExportTraceResponse,
  exportTraceResponseJson,
} from './export-trace-response.js';
export { decompressOtlpBody } from './otlp-body.js';
export { OtlpDecodeError, type OtlpDecodeErrorKind } from './otlp-decode-error.js';
export type { AttributeValue, OtlpSpan, OtlpSpanEvent } from './otlp-span.js';
export { type SpanMappingResult, spansToIngestEvents } from './span-mapping.js';
