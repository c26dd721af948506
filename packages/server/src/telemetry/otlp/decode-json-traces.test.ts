import { describe, expect, it } from 'vitest';
import { decodeOtlpJson } from './decode-json-traces.js';
import { OtlpDecodeError } from './otlp-decode-error.js';

const requestWith = (span: Record<string, unknown>) => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'checkout' } }] },
      scopeSpans: [{ scope: { name: 'my-scope' }, spans: [span] }],
    },
  ],
});

const baseSpan = {
  traceId: '5B8EFFF798038103D269B633813FC60C',
  spanId: 'EEE19B7EC3C1B174',
  name: 'chat',
  kind: 3,
  startTimeUnixNano: '1773478800000000000',
  endTimeUnixNano: 1773478801500000000,
};

function decodeError(body: unknown): OtlpDecodeError {
  try {
    decodeOtlpJson(body);
  } catch (error) {
    if (error instanceof OtlpDecodeError) return error;
    throw error;
  }
  throw new Error('expected an OtlpDecodeError');
}

describe('decodeOtlpJson', () => {
  it('decodes ids to lowercase hex, 64-bit integers from strings or numbers, and every value kind', () => {
    const [span] = decodeOtlpJson(
      requestWith({
        ...baseSpan,
        parentSpanId: '',
        traceState: 'ignored',
        unknownField: { anything: true },
        attributes: [
          { key: 'text', value: { stringValue: 'hi' } },
          { key: 'flag', value: { boolValue: false } },
          { key: 'tokens', value: { intValue: '9007199254740' } },
          { key: 'count', value: { intValue: 3 } },
          { key: 'ratio', value: { doubleValue: 0.5 } },
          { key: 'raw', value: { bytesValue: 'AQL/' } },
          { key: 'list', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: '2' }, {}] } } },
          { key: 'map', value: { kvlistValue: { values: [{ key: 'nested', value: { boolValue: true } }] } } },
          { key: 'empty', value: {} },
          { key: 'absent' },
        ],
        events: [{ name: 'exception', timeUnixNano: '1773478800100000000', attributes: [] }],
        status: { code: 2, message: 'boom' },
      }),
    );
    expect(span).toEqual({
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      name: 'chat',
      kind: 3,
      startTimeUnixNano: 1_773_478_800_000_000_000n,
      endTimeUnixNano: 1_773_478_801_500_000_000n,
      attributes: {
        text: 'hi',
        flag: false,
        tokens: 9_007_199_254_740,
        count: 3,
        ratio: 0.5,
        raw: Uint8Array.from([1, 2, 255]),
        list: ['a', 2],
        map: { nested: true },
      },
      events: [{ name: 'exception', timeUnixNano: 1_773_478_800_100_000_000n, attributes: {} }],
      status: { code: 2, message: 'boom' },
      resource: { 'service.name': 'checkout' },
      scope: { name: 'my-scope' },
    });
  });

  it('accepts enum names and missing optional parts', () => {
    const [span] = decodeOtlpJson(
      requestWith({ ...baseSpan, kind: 'SPAN_KIND_CLIENT', status: { code: 'STATUS_CODE_ERROR' } }),
    );
    expect(span).toMatchObject({ kind: 3, status: { code: 2 }, attributes: {}, events: [] });
    expect(decodeOtlpJson({})).toEqual([]);
    expect(decodeOtlpJson({ resourceSpans: [{ scopeSpans: [{ spans: [{}] }] }] })).toEqual([
      expect.objectContaining({ traceId: '', spanId: '', startTimeUnixNano: 0n, resource: {}, scope: {} }),
    ]);
  });

  it('names a span field of the wrong type', () => {
    const error = decodeError(requestWith({ ...baseSpan, startTimeUnixNano: 'yesterday' }));
    expect(error.field).toBe('resourceSpans.0.scopeSpans.0.spans.0.startTimeUnixNano');
    expect(error.reason).toBe('expected an unsigned integer');
    expect(decodeError(requestWith({ ...baseSpan, kind: 'CLIENT' })).message).toMatch(
      /^resourceSpans\.0\.scopeSpans\.0\.spans\.0\.kind: expected an integer or one of SPAN_KIND_UNSPECIFIED/,
    );
  });

  it('names an id that is not hex', () => {
    expect(decodeError(requestWith({ ...baseSpan, spanId: 'not-hex!' })).message).toBe(
      'resourceSpans.0.scopeSpans.0.spans.0.spanId: expected a hex string',
    );
  });

  it('names a bad attribute value, however deep', () => {
    const error = decodeError(
      requestWith({
        ...baseSpan,
        attributes: [
          { key: 'ok', value: { stringValue: 'fine' } },
          { key: 'map', value: { kvlistValue: { values: [{ key: 'n', value: { intValue: 'twelve' } }] } } },
        ],
      }),
    );
    expect(error.field).toBe(
      'resourceSpans.0.scopeSpans.0.spans.0.attributes.1.value.kvlistValue.values.0.value.intValue',
    );
  });

  it('names a missing attribute key and a body that is not an object', () => {
    expect(decodeError(requestWith({ ...baseSpan, attributes: [{ value: { stringValue: 'x' } }] })).field).toBe(
      'resourceSpans.0.scopeSpans.0.spans.0.attributes.0.key',
    );
    expect(decodeError({ resourceSpans: 'nope' }).field).toBe('resourceSpans');
    expect(decodeError([1, 2]).field).toBeUndefined();
  });

  it('rejects attribute values nested beyond the limit', () => {
    let value: Record<string, unknown> = { stringValue: 'deep' };
    for (let level = 0; level < 40; level++) value = { arrayValue: { values: [value] } };
    expect(decodeError(requestWith({ ...baseSpan, attributes: [{ key: 'deep', value }] })).reason).toBe(
      'nested deeper than 32 levels',
    );
  });
});
