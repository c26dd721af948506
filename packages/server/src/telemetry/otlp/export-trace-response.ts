import { ProtobufWriter } from './protobuf-writer.js';

/** What an export partly failed on; nothing rejected and no message means full success. */
export type ExportTracePartialSuccess = { rejectedSpans: number; errorMessage?: string };

/** `{ partialSuccess: { rejectedSpans, errorMessage } }`, or `{}` for full success. */
export type ExportTraceResponseJson = { partialSuccess?: { rejectedSpans: string; errorMessage?: string } };

const isFullSuccess = (result: ExportTracePartialSuccess) => result.rejectedSpans <= 0 && !result.errorMessage;

/**
 * The protobuf `ExportTraceServiceResponse { partial_success = 1: ExportTracePartialSuccess
 * { rejected_spans = 1 (int64), error_message = 2 } }`; empty bytes for full success.
 *
 * @example
 * reply.type('application/x-protobuf').send(encodeExportTraceResponse({ rejectedSpans: 2, errorMessage }));
 */
export function encodeExportTraceResponse(result: ExportTracePartialSuccess): Uint8Array {
  if (isFullSuccess(result)) return new Uint8Array(0);
  const partialSuccess = new ProtobufWriter();
  if (result.rejectedSpans > 0) partialSuccess.varintField(1, Math.trunc(result.rejectedSpans));
  if (result.errorMessage) partialSuccess.bytesField(2, result.errorMessage);
  return new ProtobufWriter().bytesField(1, partialSuccess.finish()).finish();
}

/** The same response in OTLP/JSON (int64 as a decimal string, per the protobuf JSON mapping). */
export function exportTraceResponseJson(result: ExportTracePartialSuccess): ExportTraceResponseJson {
  if (isFullSuccess(result)) return {};
  return {
    partialSuccess: {
      rejectedSpans: String(Math.max(0, Math.trunc(result.rejectedSpans))),
      ...(result.errorMessage ? { errorMessage: result.errorMessage } : {}),
    },
  };
}
