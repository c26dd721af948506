import { WIRE_TYPE } from './protobuf-reader.js';

const utf8 = new TextEncoder();

/** Writes the few protobuf field kinds our OTLP responses (and tests) need, then `finish()`es. */
export class ProtobufWriter {
  readonly #chunks: number[] = [];

  /** An int64/uint64/enum/bool field; negative numbers take ten bytes, as protobuf specifies. */
  varintField(fieldNumber: number, value: number | bigint | boolean): this {
    this.#tag(fieldNumber, WIRE_TYPE.varint);
    this.#varint(BigInt.asUintN(64, BigInt(value)));
    return this;
  }

  fixed64Field(fieldNumber: number, value: bigint): this {
    this.#tag(fieldNumber, WIRE_TYPE.fixed64);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    this.#chunks.push(...bytes);
    return this;
  }

  fixed32Field(fieldNumber: number, value: number): this {
    this.#tag(fieldNumber, WIRE_TYPE.fixed32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value >>> 0, true);
    this.#chunks.push(...bytes);
    return this;
  }

  doubleField(fieldNumber: number, value: number): this {
    this.#tag(fieldNumber, WIRE_TYPE.fixed64);
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    this.#chunks.push(...bytes);
    return this;
  }

  /** A bytes, string or embedded-message field. */
  bytesField(fieldNumber: number, value: Uint8Array | string): this {
    const bytes = typeof value === 'string' ? utf8.encode(value) : value;
    this.#tag(fieldNumber, WIRE_TYPE.lengthDelimited);
    this.#varint(BigInt(bytes.length));
    for (const byte of bytes) this.#chunks.push(byte);
    return this;
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.#chunks);
  }

  #tag(fieldNumber: number, wireType: number): void {
    this.#varint(BigInt(fieldNumber) * 8n + BigInt(wireType));
  }

  #varint(value: bigint): void {
    let rest = value;
    while (rest >= 0x80n) {
      this.#chunks.push(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.#chunks.push(Number(rest));
  }
}
