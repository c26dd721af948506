import { OtlpDecodeError } from './otlp-decode-error.js';

/** Protobuf wire types (the low three bits of a field's tag). */
export const WIRE_TYPE = {
  varint: 0,
  fixed64: 1,
  lengthDelimited: 2,
  startGroup: 3,
  endGroup: 4,
  fixed32: 5,
} as const;

export type ProtobufTag = { fieldNumber: number; wireType: number };

const MAX_VARINT_BYTES = 10;
/** Groups are a proto2 relic; an unknown one is skipped, but not nested without end. */
const MAX_GROUP_DEPTH = 32;
const utf8 = new TextDecoder('utf-8');

/**
 * Reads one protobuf message from untrusted bytes: every read is bounds-checked and a malformed
 * input throws `OtlpDecodeError` naming the byte offset, never a RangeError or a silent misread.
 * Nested messages are read by a reader over `readLengthDelimited()`, which does not copy.
 */
export class ProtobufReader {
  readonly #bytes: Uint8Array;
  /** Made on the first fixed-width read: most nested messages (attributes) never need one. */
  #view: DataView | undefined;
  #position = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
  }

  get position(): number {
    return this.#position;
  }

  isAtEnd(): boolean {
    return this.#position >= this.#bytes.length;
  }

  readTag(): ProtobufTag {
    const offset = this.#position;
    const tag = this.readVarintNumber();
    const fieldNumber = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (fieldNumber === 0) throw this.#error('field number 0 is not allowed', offset);
    if (fieldNumber > 0x1fffffff) throw this.#error(`field number ${fieldNumber} is out of range`, offset);
    if (wireType > WIRE_TYPE.fixed32) throw this.#error(`unknown wire type ${wireType}`, offset);
    return { fieldNumber, wireType };
  }

  /** A varint as an unsigned 64-bit bigint (int64 fields: `BigInt.asIntN(64, value)`). */
  readVarint(): bigint {
    const offset = this.#position;
    let value = 0n;
    for (let index = 0; index < MAX_VARINT_BYTES; index++) {
      const byte = this.#nextByte(offset);
      value |= BigInt(byte & 0x7f) << BigInt(7 * index);
      if (byte < 0x80) return BigInt.asUintN(64, value);
    }
    throw this.#error(`varint longer than ${MAX_VARINT_BYTES} bytes`, offset);
  }

  /** A varint that must fit a JavaScript number exactly: tags, lengths, enums, counts. */
  readVarintNumber(): number {
    const offset = this.#position;
    let value = 0;
    let multiplier = 1;
    for (let index = 0; index < MAX_VARINT_BYTES; index++) {
      const byte = this.#nextByte(offset);
      value += (byte & 0x7f) * multiplier;
      if (byte < 0x80) {
        if (value > Number.MAX_SAFE_INTEGER) throw this.#error('varint too large for this field', offset);
        return value;
      }
      multiplier *= 128;
    }
    throw this.#error(`varint longer than ${MAX_VARINT_BYTES} bytes`, offset);
  }

  /** An int32 or enum field: negative values arrive as ten-byte varints. */
  readInt32(): number {
    return Number(BigInt.asIntN(32, this.readVarint()));
  }

  /** An int64 field as a number (exact up to 2^53, plenty for token counts). */
  readInt64(): number {
    return Number(BigInt.asIntN(64, this.readVarint()));
  }

  readBool(): boolean {
    return this.readVarint() !== 0n;
  }

  readFixed64(): bigint {
    const offset = this.#take(8, 'fixed64');
    return this.#dataView().getBigUint64(offset, true);
  }

  readFixed32(): number {
    const offset = this.#take(4, 'fixed32');
    return this.#dataView().getUint32(offset, true);
  }

  readDouble(): number {
    const offset = this.#take(8, 'double');
    return this.#dataView().getFloat64(offset, true);
  }

  /** The payload of a length-delimited field, as a view into the input. */
  readLengthDelimited(): Uint8Array {
    const lengthOffset = this.#position;
    const length = this.readVarintNumber();
    const remaining = this.#bytes.length - this.#position;
    if (length > remaining) {
      throw this.#error(`length ${length} runs past the end of the message (${remaining} bytes left)`, lengthOffset);
    }
    const start = this.#position;
    this.#position += length;
    return this.#bytes.subarray(start, start + length);
  }

  /** A string field; invalid UTF-8 becomes U+FFFD rather than failing the export. */
  readString(): string {
    return utf8.decode(this.readLengthDelimited());
  }

  /** Passes over a field this reader does not know, by its wire type. */
  skip(tag: ProtobufTag, depth = 0): void {
    switch (tag.wireType) {
      case WIRE_TYPE.varint:
        this.readVarint();
        return;
      case WIRE_TYPE.fixed64:
        this.#take(8, 'fixed64');
        return;
      case WIRE_TYPE.lengthDelimited:
        this.readLengthDelimited();
        return;
      case WIRE_TYPE.fixed32:
        this.#take(4, 'fixed32');
        return;
      case WIRE_TYPE.startGroup:
        this.#skipGroup(tag.fieldNumber, depth);
        return;
      default:
        throw this.#error(`unexpected end-group for field ${tag.fieldNumber}`, this.#position);
    }
  }

  #skipGroup(fieldNumber: number, depth: number): void {
    if (depth >= MAX_GROUP_DEPTH) throw this.#error('groups nested too deeply', this.#position);
    const offset = this.#position;
    while (!this.isAtEnd()) {
      const tag = this.readTag();
      if (tag.wireType === WIRE_TYPE.endGroup) {
        if (tag.fieldNumber === fieldNumber) return;
        throw this.#error(`end-group for field ${tag.fieldNumber} inside group ${fieldNumber}`, offset);
      }
      this.skip(tag, depth + 1);
    }
    throw this.#error(`group ${fieldNumber} has no end`, offset);
  }

  #dataView(): DataView {
    this.#view ??= new DataView(this.#bytes.buffer, this.#bytes.byteOffset, this.#bytes.byteLength);
    return this.#view;
  }

  #nextByte(startOffset: number): number {
    const byte = this.#bytes[this.#position];
    if (byte === undefined) throw this.#error('truncated varint', startOffset);
    this.#position += 1;
    return byte;
  }

  /** Claims `size` bytes and returns where they start. */
  #take(size: number, what: string): number {
    const offset = this.#position;
    if (this.#bytes.length - offset < size) {
      throw this.#error(`truncated ${what}: needs ${size} bytes, ${this.#bytes.length - offset} left`, offset);
    }
    this.#position += size;
    return offset;
  }

  #error(message: string, offset: number): OtlpDecodeError {
    return new OtlpDecodeError(`${message} (at byte ${offset})`);
  }
}
