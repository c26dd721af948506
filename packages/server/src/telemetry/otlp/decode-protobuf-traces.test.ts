import { describe, expect, it } from 'vitest';
import { decodeOtlpProtobuf } from './decode-protobuf-traces.js';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { ProtobufWriter } from './protobuf-writer.js';

const TRACE_ID = Buffer.from('5b8efff798038103d269b633813fc60c', 'hex');
const SPAN_ID = Buffer.from('eee19b7ec3c1b174', 'hex');

const message = (build: (writer: ProtobufWriter) => ProtobufWriter) => build(new ProtobufWriter()).finish();
const keyValue = (key: string, value: Uint8Array) =>
  message((writer) => writer.bytesField(1, key).bytesField(2, value));
const stringValue = (text: string) => message((writer) => writer.bytesField(1, text));

/** ExportTraceServiceRequest → ResourceSpans → ScopeSpans → the given span payloads. */
function request(spans: Uint8Array[], options: { resourceFirst?: boolean } = {}): Uint8Array {
  const scopeSpans = message((writer) => {
    for (const span of spans) writer.bytesField(2, span);
    return writer.bytesField(
      1,
      message((scope) => scope.bytesField(1, 'my-scope').bytesField(2, '0.1.0')),
    );
  });
  const resource = message((writer) => writer.bytesField(1, keyValue('service.name', stringValue('checkout'))));
  const resourceSpans = message((writer) =>
    options.resourceFirst
      ? writer.bytesField(1, resource).bytesField(2, scopeSpans)
      : writer.bytesField(2, scopeSpans).bytesField(1, resource),
  );
  return message((writer) => writer.bytesField(1, resourceSpans));
}

function decodeError(bytes: Uint8Array): OtlpDecodeError {
  try {
    decodeOtlpProtobuf(bytes);
  } catch (error) {
    if (error instanceof OtlpDecodeError) return error;
    throw error;
  }
  throw new Error('expected an OtlpDecodeError');
}

describe('decodeOtlpProtobuf', () => {
  it('decodes every span field and every kind of attribute value', () => {
    const span = message((writer) =>
      writer
        .bytesField(1, TRACE_ID)
        .bytesField(2, SPAN_ID)
        .bytesField(3, 'vendor=1') // trace_state: not ours, skipped
        .bytesField(4, new Uint8Array(8)) // an all-zero parent reads as none
        .bytesField(5, 'chat gpt-4o')
        .varintField(6, 3)
        .fixed64Field(7, 1_773_478_800_000_000_000n)
        .fixed64Field(8, 1_773_478_801_500_000_000n)
        .bytesField(9, keyValue('text', stringValue('hi')))
        .bytesField(
          9,
          keyValue(
            'flag',
            message((value) => value.varintField(2, true)),
          ),
        )
        .bytesField(
          9,
          keyValue(
            'tokens',
            message((value) => value.varintField(3, 1_234)),
          ),
        )
        .bytesField(
          9,
          keyValue(
            'negative',
            message((value) => value.varintField(3, -7)),
          ),
        )
        .bytesField(
          9,
          keyValue(
            'ratio',
            message((value) => value.doubleField(4, 0.5)),
          ),
        )
        .bytesField(
          9,
          keyValue(
            'raw',
            message((value) => value.bytesField(7, Uint8Array.from([1, 2, 255]))),
          ),
        )
        .bytesField(
          9,
          keyValue(
            'list',
            message((value) =>
              value.bytesField(
                5,
                message((array) => array.bytesField(1, stringValue('a')).bytesField(1, stringValue('b'))),
              ),
            ),
          ),
        )
        .bytesField(
          9,
          keyValue(
            'map',
            message((value) =>
              value.bytesField(
                6,
                message((list) => list.bytesField(1, keyValue('nested', stringValue('yes')))),
              ),
            ),
          ),
        )
        .bytesField(9, keyValue('empty', new Uint8Array(0)))
        .varintField(10, 0)
        .bytesField(
          11,
          message((event) =>
            event
              .fixed64Field(1, 1_773_478_800_500_000_000n)
              .bytesField(2, 'gen_ai.choice')
              .bytesField(
                3,
                keyValue(
                  'index',
                  message((value) => value.varintField(3, 0)),
                ),
              ),
          ),
        )
        .bytesField(
          15,
          message((status) => status.bytesField(2, 'boom').varintField(3, 2)),
        )
        .fixed32Field(16, 0x101),
    );
    for (const resourceFirst of [true, false]) {
      expect(decodeOtlpProtobuf(request([span], { resourceFirst }))).toEqual([
        {
          traceId: '5b8efff798038103d269b633813fc60c',
          spanId: 'eee19b7ec3c1b174',
          name: 'chat gpt-4o',
          kind: 3,
          startTimeUnixNano: 1_773_478_800_000_000_000n,
          endTimeUnixNano: 1_773_478_801_500_000_000n,
          attributes: {
            text: 'hi',
            flag: true,
            tokens: 1_234,
            negative: -7,
            ratio: 0.5,
            raw: Uint8Array.from([1, 2, 255]),
            list: ['a', 'b'],
            map: { nested: 'yes' },
          },
          events: [{ name: 'gen_ai.choice', timeUnixNano: 1_773_478_800_500_000_000n, attributes: { index: 0 } }],
          status: { code: 2, message: 'boom' },
          resource: { 'service.name': 'checkout' },
          scope: { name: 'my-scope', version: '0.1.0' },
        },
      ]);
    }
  });

  it('decodes an empty request to no spans', () => {
    expect(decodeOtlpProtobuf(new Uint8Array(0))).toEqual([]);
  });

  it('keeps a parent span id and an attribute named __proto__ as ordinary values', () => {
    const span = message((writer) =>
      writer
        .bytesField(1, TRACE_ID)
        .bytesField(2, SPAN_ID)
        .bytesField(4, Buffer.from('00f067aa0ba902b7', 'hex'))
        .bytesField(9, keyValue('__proto__', stringValue('x'))),
    );
    const [decoded] = decodeOtlpProtobuf(request([span]));
    expect(decoded?.parentSpanId).toBe('00f067aa0ba902b7');
    expect(Object.getPrototypeOf(decoded?.attributes)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded?.attributes ?? {}, '__proto__')).toBe(true);
  });

  it('names the field whose length runs past its message', () => {
    const span = Uint8Array.from([0x2a, 0x05, 0x61]); // name: 5 bytes announced, 1 present
    expect(decodeError(request([span])).message).toBe(
      'resourceSpans.0.scopeSpans.0.spans.0.name: length 5 runs past the end of the message (1 bytes left) (at byte 1)',
    );
  });

  it('names the field that has the wrong wire type', () => {
    const span = message((writer) => writer.varintField(5, 1));
    const error = decodeError(request([span]));
    expect(error.field).toBe('resourceSpans.0.scopeSpans.0.spans.0.name');
    expect(error.reason).toBe('expected wire type 2, got 0');
  });

  it('rejects a body cut short', () => {
    const bytes = request([message((writer) => writer.bytesField(1, TRACE_ID).bytesField(5, 'a span name'))]);
    const error = decodeError(bytes.subarray(0, bytes.length - 4));
    expect(error.field).toBe('resourceSpans.0');
    expect(error.reason).toMatch(/runs past the end/);
  });

  it('rejects a truncated varint inside an attribute value', () => {
    const span = message((writer) => writer.bytesField(9, keyValue('tokens', Uint8Array.from([0x18, 0xff]))));
    expect(decodeError(request([span])).message).toBe(
      'resourceSpans.0.scopeSpans.0.spans.0.attributes.0.value.intValue: truncated varint (at byte 1)',
    );
  });

  it('rejects attribute values nested beyond the limit', () => {
    let value = stringValue('deep');
    for (let level = 0; level < 40; level++) {
      const inner = value;
      value = message((writer) =>
        writer.bytesField(
          5,
          message((array) => array.bytesField(1, inner)),
        ),
      );
    }
    const span = message((writer) => writer.bytesField(9, keyValue('deep', value)));
    expect(decodeError(request([span])).reason).toBe('nested deeper than 32 levels');
  });
});
