import { describe, expect, it } from 'vitest';
import { encodeExportTraceResponse, exportTraceResponseJson } from './export-trace-response.js';
import { ProtobufReader } from './protobuf-reader.js';

/** Reads ExportTraceServiceResponse back with our own reader. */
function readResponse(bytes: Uint8Array): { rejectedSpans?: number; errorMessage?: string } {
  const response = new ProtobufReader(bytes);
  const result: { rejectedSpans?: number; errorMessage?: string } = {};
  while (!response.isAtEnd()) {
    const tag = response.readTag();
    if (tag.fieldNumber !== 1) {
      response.skip(tag);
      continue;
    }
    const partialSuccess = new ProtobufReader(response.readLengthDelimited());
    while (!partialSuccess.isAtEnd()) {
      const field = partialSuccess.readTag();
      if (field.fieldNumber === 1) result.rejectedSpans = partialSuccess.readInt64();
      else if (field.fieldNumber === 2) result.errorMessage = partialSuccess.readString();
      else partialSuccess.skip(field);
    }
  }
  return result;
}

describe('ExportTraceServiceResponse', () => {
  it('is empty when every span was accepted', () => {
    expect(encodeExportTraceResponse({ rejectedSpans: 0 })).toEqual(new Uint8Array(0));
    expect(exportTraceResponseJson({ rejectedSpans: 0 })).toEqual({});
  });

  it('round-trips a partial success through the protobuf reader', () => {
    const errorMessage = 'span eee19b7ec3c1b174: startTimeUnixNano is missing or out of range';
    const bytes = encodeExportTraceResponse({ rejectedSpans: 300, errorMessage });
    expect(readResponse(bytes)).toEqual({ rejectedSpans: 300, errorMessage });
  });

  it('carries a warning with nothing rejected', () => {
    expect(readResponse(encodeExportTraceResponse({ rejectedSpans: 0, errorMessage: 'slow down' }))).toEqual({
      errorMessage: 'slow down',
    });
  });

  it('writes int64 as a string in JSON', () => {
    expect(exportTraceResponseJson({ rejectedSpans: 2, errorMessage: 'bad ids' })).toEqual({
      partialSuccess: { rejectedSpans: '2', errorMessage: 'bad ids' },
    });
  });
});
