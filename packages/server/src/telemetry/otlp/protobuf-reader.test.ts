import { describe, expect, it } from 'vitest';
import { OtlpDecodeError } from './otlp-decode-error.js';
import { ProtobufReader, WIRE_TYPE } from './protobuf-reader.js';
import { ProtobufWriter } from './protobuf-writer.js';

const readerOf = (...bytes: number[]) => new ProtobufReader(Uint8Array.from(bytes));

function decodeError(read: () => unknown): OtlpDecodeError {
  try {
    read();
  } catch (error) {
    if (error instanceof OtlpDecodeError) return error;
    throw error;
  }
  throw new Error('expected an OtlpDecodeError');
}

describe('ProtobufReader', () => {
  it('reads what the writer wrote, field by field', () => {
    const bytes = new ProtobufWriter()
      .varintField(1, 300)
      .varintField(2, -5)
      .fixed64Field(3, 1_773_478_800_123_456_789n)
      .doubleField(4, 0.25)
      .bytesField(5, 'héllo')
      .varintField(6, true)
      .finish();
    const reader = new ProtobufReader(bytes);
    expect(reader.readTag()).toEqual({ fieldNumber: 1, wireType: WIRE_TYPE.varint });
    expect(reader.readVarintNumber()).toBe(300);
    expect(reader.readTag().fieldNumber).toBe(2);
    expect(reader.readInt64()).toBe(-5);
    expect(reader.readTag()).toEqual({ fieldNumber: 3, wireType: WIRE_TYPE.fixed64 });
    expect(reader.readFixed64()).toBe(1_773_478_800_123_456_789n);
    expect(reader.readTag().fieldNumber).toBe(4);
    expect(reader.readDouble()).toBe(0.25);
    expect(reader.readTag()).toEqual({ fieldNumber: 5, wireType: WIRE_TYPE.lengthDelimited });
    expect(reader.readString()).toBe('héllo');
    expect(reader.readTag().fieldNumber).toBe(6);
    expect(reader.readBool()).toBe(true);
    expect(reader.isAtEnd()).toBe(true);
  });

  it('reads a negative int32 from its ten-byte varint', () => {
    const bytes = new ProtobufWriter().varintField(1, -1).finish();
    expect(bytes.length).toBe(11);
    const reader = new ProtobufReader(bytes);
    reader.readTag();
    expect(reader.readInt32()).toBe(-1);
  });

  it('reads fixed32', () => {
    const reader = readerOf(0x78, 0x56, 0x34, 0x12);
    expect(reader.readFixed32()).toBe(0x12345678);
  });

  it('skips unknown fields of every wire type, groups included', () => {
    const bytes = Uint8Array.from([
      ...[0x08, 0x96, 0x01], // 1: varint 150
      ...[0x11, 1, 2, 3, 4, 5, 6, 7, 8], // 2: fixed64
      ...[0x1a, 0x02, 0x61, 0x62], // 3: length-delimited "ab"
      ...[0x25, 1, 2, 3, 4], // 4: fixed32
      ...[0x2b, 0x08, 0x01, 0x2c], // 5: group holding field 1 = 1
      ...[0x30, 0x07], // 6: varint 7
    ]);
    const reader = new ProtobufReader(bytes);
    for (let field = 1; field <= 5; field++) reader.skip(reader.readTag());
    expect(reader.readTag().fieldNumber).toBe(6);
    expect(reader.readVarintNumber()).toBe(7);
  });

  it('rejects a truncated varint', () => {
    const error = decodeError(() => readerOf(0x96).readVarint());
    expect(error.message).toBe('truncated varint (at byte 0)');
  });

  it('rejects a varint longer than ten bytes', () => {
    const error = decodeError(() => readerOf(...new Array(11).fill(0xff), 0x01).readVarint());
    expect(error.message).toMatch(/varint longer than 10 bytes/);
  });

  it('rejects a length that runs past the end', () => {
    const reader = readerOf(0x0a, 0x05, 0x61);
    reader.readTag();
    expect(decodeError(() => reader.readLengthDelimited()).message).toBe(
      'length 5 runs past the end of the message (1 bytes left) (at byte 1)',
    );
  });

  it('rejects truncated fixed-width values', () => {
    expect(decodeError(() => readerOf(1, 2, 3).readFixed64()).message).toBe(
      'truncated fixed64: needs 8 bytes, 3 left (at byte 0)',
    );
    expect(decodeError(() => readerOf(1).readFixed32()).message).toMatch(/truncated fixed32/);
  });

  it('rejects field number 0 and the undefined wire types', () => {
    expect(decodeError(() => readerOf(0x02).readTag()).message).toMatch(/field number 0/);
    expect(decodeError(() => readerOf(0x0e).readTag()).message).toMatch(/unknown wire type 6/);
  });

  it('rejects an unterminated or mismatched group', () => {
    expect(decodeError(() => readerOf(0x0b, 0x08, 0x01).skip({ fieldNumber: 1, wireType: 3 })).message).toMatch(
      /group 1 has no end/,
    );
    const mismatched = readerOf(0x0b, 0x14);
    expect(decodeError(() => mismatched.skip(mismatched.readTag())).message).toMatch(/end-group for field 2/);
  });

  it('rejects a varint too large for a length', () => {
    const error = decodeError(() => readerOf(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f).readVarintNumber());
    expect(error.message).toMatch(/too large/);
  });
});
