/**
 * A lossless reader and writer of Thrift's compact protocol, the encoding of a Parquet footer. It decodes to a
 * generic tree (field ids and wire types, no IDL), so that a footer can be edited field by field and written back
 * with every untouched byte meaning exactly what it meant.
 */

/** Wire types of the compact protocol. */
export const WireType = {
  STOP: 0,
  BOOL_TRUE: 1,
  BOOL_FALSE: 2,
  I8: 3,
  I16: 4,
  I32: 5,
  I64: 6,
  DOUBLE: 7,
  BINARY: 8,
  LIST: 9,
  SET: 10,
  MAP: 11,
  STRUCT: 12,
} as const;

/** A decoded value. 64-bit integers are bigints; doubles keep their 8 bytes; binary is bytes. */
export type ThriftValue = boolean | number | bigint | Uint8Array | ThriftDouble | ThriftList | ThriftMap | ThriftStruct;

export interface ThriftDouble {
  kind: 'double';
  bytes: Uint8Array;
}
export interface ThriftList {
  kind: 'list';
  /** LIST or SET. */
  wireType: number;
  elementType: number;
  items: ThriftValue[];
}
export interface ThriftMap {
  kind: 'map';
  keyType: number;
  valueType: number;
  entries: [ThriftValue, ThriftValue][];
}
export interface ThriftField {
  id: number;
  /** The wire type; for booleans, BOOL_TRUE (either value: the value is in `value`). */
  type: number;
  value: ThriftValue;
}
export interface ThriftStruct {
  kind: 'struct';
  fields: ThriftField[];
}

/** Decodes one struct starting at `offset`; returns it and the offset just past it. */
export function readStruct(bytes: Uint8Array, offset = 0): { struct: ThriftStruct; end: number } {
  const reader = new Reader(bytes, offset);
  const struct = reader.struct();
  return { struct, end: reader.pos };
}

/** Encodes a struct. */
export function writeStruct(struct: ThriftStruct): Uint8Array {
  const writer = new CompactWriter(4096);
  writer.struct(struct);
  return writer.bytes();
}

/** The field `id` of `struct`, if present. */
export function field(struct: ThriftStruct, id: number): ThriftField | undefined {
  return struct.fields.find((f) => f.id === id);
}

class Reader {
  pos: number;
  constructor(
    private readonly buf: Uint8Array,
    offset: number,
  ) {
    this.pos = offset;
  }

  private byte(): number {
    if (this.pos >= this.buf.length) throw new RangeError('truncated Thrift data');
    return this.buf[this.pos++] as number;
  }

  private varint(): bigint {
    // Footer integers are nearly all small: gather in a number while exact, in a bigint only past 2^49.
    let small = 0;
    let multiplier = 1;
    for (;;) {
      const b = this.byte();
      small += (b & 0x7f) * multiplier;
      if ((b & 0x80) === 0) return BigInt(small);
      multiplier *= 128;
      if (multiplier >= 2 ** 49) break;
    }
    let result = BigInt(small);
    let shift = 49n;
    for (;;) {
      const b = this.byte();
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
      if (shift > 63n) throw new RangeError('Thrift varint longer than 64 bits');
    }
  }

  private smallVarint(): number {
    let result = 0;
    let multiplier = 1;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * multiplier;
      if ((b & 0x80) === 0) return result;
      multiplier *= 128;
      // A 32-bit value takes at most 5 bytes.
      if (multiplier >= 2 ** 35) throw new RangeError('Thrift varint too long for a 32-bit value');
    }
  }

  private zigzag32(): number {
    const n = this.smallVarint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  struct(): ThriftStruct {
    const fields: ThriftField[] = [];
    let last = 0;
    for (;;) {
      const header = this.byte();
      const type = header & 0x0f;
      if (type === WireType.STOP) return { kind: 'struct', fields };
      const delta = header >> 4;
      const id = delta === 0 ? this.zigzag32() : last + delta;
      last = id;
      if (type === WireType.BOOL_TRUE || type === WireType.BOOL_FALSE) {
        fields.push({ id, type: WireType.BOOL_TRUE, value: type === WireType.BOOL_TRUE });
      } else {
        fields.push({ id, type, value: this.value(type) });
      }
    }
  }

  private value(type: number): ThriftValue {
    switch (type) {
      case WireType.BOOL_TRUE:
      case WireType.BOOL_FALSE:
        // Inside a collection a boolean is a byte of its own (1 true, anything else false).
        return this.byte() === 1;
      case WireType.I8: {
        const b = this.byte();
        return b > 127 ? b - 256 : b;
      }
      case WireType.I16:
      case WireType.I32:
        return this.zigzag32();
      case WireType.I64: {
        const n = this.varint();
        return (n >> 1n) ^ -(n & 1n);
      }
      case WireType.DOUBLE: {
        const bytes = this.buf.slice(this.pos, this.pos + 8);
        if (bytes.length < 8) throw new RangeError('truncated Thrift double');
        this.pos += 8;
        return { kind: 'double', bytes };
      }
      case WireType.BINARY: {
        const length = this.smallVarint();
        if (this.pos + length > this.buf.length) throw new RangeError('truncated Thrift binary');
        const bytes = this.buf.slice(this.pos, this.pos + length);
        this.pos += length;
        return bytes;
      }
      case WireType.LIST:
      case WireType.SET: {
        const header = this.byte();
        const elementType = header & 0x0f;
        const size = header >> 4 === 15 ? this.smallVarint() : header >> 4;
        const items: ThriftValue[] = [];
        for (let i = 0; i < size; i++) items.push(this.value(elementType));
        return { kind: 'list', wireType: type, elementType, items };
      }
      case WireType.MAP: {
        const size = this.smallVarint();
        if (size === 0) return { kind: 'map', keyType: 0, valueType: 0, entries: [] };
        const types = this.byte();
        const keyType = types >> 4;
        const valueType = types & 0x0f;
        const entries: [ThriftValue, ThriftValue][] = [];
        for (let i = 0; i < size; i++) entries.push([this.value(keyType), this.value(valueType)]);
        return { kind: 'map', keyType, valueType, entries };
      }
      case WireType.STRUCT:
        return this.struct();
      default:
        throw new RangeError(`unknown Thrift compact type ${type}`);
    }
  }
}

/**
 * Writes the compact protocol field by field, without a tree: what an encoder of many small structs (a Parquet
 * writer's page headers and footer) uses, since building and walking a tree per page costs more than the encoding.
 * Fields must be written in increasing id order within a struct (they are in every struct Parquet defines); lists
 * of structs are written as `list(id, STRUCT, n)` and then n times `beginElement()` … `end()`.
 */
export class CompactWriter {
  private buf: Uint8Array;
  private length = 0;
  /** The last field id of the struct being written, and of the structs it is nested in. */
  private last = 0;
  private readonly outer: number[] = [];

  constructor(capacity = 256) {
    this.buf = new Uint8Array(capacity);
  }

  /** The bytes written so far, copied. */
  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  /** How many bytes are written so far. */
  get size(): number {
    return this.length;
  }

  /** The bytes written so far, as a view that the next write may invalidate. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  /** Forgets everything written, to write another struct. */
  reset(): void {
    this.length = 0;
    this.last = 0;
    this.outer.length = 0;
  }

  i8(id: number, value: number): void {
    this.fieldHeader(id, WireType.I8);
    this.byte(value & 0xff);
  }

  i16(id: number, value: number): void {
    this.fieldHeader(id, WireType.I16);
    this.zigzag32(value);
  }

  i32(id: number, value: number): void {
    this.fieldHeader(id, WireType.I32);
    this.zigzag32(value);
  }

  /** A 64-bit integer field; a number must be a safe integer. */
  i64(id: number, value: number | bigint): void {
    this.fieldHeader(id, WireType.I64);
    this.zigzag64(value);
  }

  bool(id: number, value: boolean): void {
    this.fieldHeader(id, value ? WireType.BOOL_TRUE : WireType.BOOL_FALSE);
  }

  binary(id: number, bytes: Uint8Array): void {
    this.fieldHeader(id, WireType.BINARY);
    this.smallVarint(bytes.length);
    this.raw(bytes);
  }

  /** Starts a struct field; `end` closes it. */
  beginStruct(id: number): void {
    this.fieldHeader(id, WireType.STRUCT);
    this.outer.push(this.last);
    this.last = 0;
  }

  /** Starts a struct that is an element of a list; `end` closes it. */
  beginElement(): void {
    this.outer.push(this.last);
    this.last = 0;
  }

  /** Closes the struct begun last (or, with none open, the top-level struct). */
  end(): void {
    this.byte(WireType.STOP);
    this.last = this.outer.pop() ?? 0;
  }

  /** Starts a list field of `size` elements of `elementType`; the caller writes the elements next. */
  list(id: number, elementType: number, size: number): void {
    this.fieldHeader(id, WireType.LIST);
    this.listHeader(elementType, size);
  }

  /** A list field of 32-bit integers. */
  i32List(id: number, values: readonly number[]): void {
    this.list(id, WireType.I32, values.length);
    for (const value of values) this.zigzag32(value);
  }

  /** A list field of binary values. */
  binaryList(id: number, values: readonly Uint8Array[]): void {
    this.list(id, WireType.BINARY, values.length);
    for (const value of values) {
      this.smallVarint(value.length);
      this.raw(value);
    }
  }

  /** Writes a decoded struct (a tree from readStruct) exactly. */
  struct(struct: ThriftStruct): void {
    let last = 0;
    // Fields go out in the order given, as read: an id that does not follow the previous one within 15 takes the
    // long form (the id in full), which a reader takes in any order.
    for (const f of struct.fields) {
      const type =
        f.type === WireType.BOOL_TRUE || f.type === WireType.BOOL_FALSE
          ? f.value === true
            ? WireType.BOOL_TRUE
            : WireType.BOOL_FALSE
          : f.type;
      this.rawFieldHeader(f.id - last, f.id, type);
      last = f.id;
      if (type !== WireType.BOOL_TRUE && type !== WireType.BOOL_FALSE) this.value(type, f.value);
    }
    this.byte(WireType.STOP);
  }

  private fieldHeader(id: number, type: number): void {
    this.rawFieldHeader(id - this.last, id, type);
    this.last = id;
  }

  private rawFieldHeader(delta: number, id: number, type: number): void {
    if (delta > 0 && delta <= 15) {
      this.byte((delta << 4) | type);
    } else {
      this.byte(type);
      this.zigzag32(id);
    }
  }

  private listHeader(elementType: number, size: number): void {
    if (size < 15) {
      this.byte((size << 4) | elementType);
    } else {
      this.byte(0xf0 | elementType);
      this.smallVarint(size);
    }
  }

  private ensure(extra: number): void {
    if (this.length + extra <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.length + extra));
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
  }

  private byte(b: number): void {
    this.ensure(1);
    this.buf[this.length++] = b;
  }

  private raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  private varint(n: bigint): void {
    // Nearly every value (sizes, offsets, counts) is below 2^53: number arithmetic is several times cheaper than
    // bigint.
    if (n < 0x20_0000_0000_0000n) {
      this.smallVarint(Number(n));
      return;
    }
    let rest = n;
    while (rest >= 0x80n) {
      this.byte(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
    this.byte(Number(rest));
  }

  /** A non-negative integer below 2^53 as a varint. */
  private smallVarint(n: number): void {
    this.ensure(8);
    let rest = n;
    while (rest >= 0x80) {
      this.buf[this.length++] = (rest % 0x80) | 0x80;
      rest = Math.floor(rest / 0x80);
    }
    this.buf[this.length++] = rest;
  }

  private zigzag32(n: number): void {
    this.smallVarint(n >= 0 ? 2 * n : -2 * n - 1);
  }

  private zigzag64(value: number | bigint): void {
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a safe integer`);
      // 2|n| stays exact below 2^54, and a varint of it is written digit by digit in number arithmetic.
      if (value >= 0 ? value < 2 ** 52 : value > -(2 ** 52)) {
        this.smallVarint(value >= 0 ? 2 * value : -2 * value - 1);
        return;
      }
      this.zigzag64(BigInt(value));
      return;
    }
    this.varint(value >= 0n ? value << 1n : (-value << 1n) - 1n);
  }

  private value(type: number, value: ThriftValue): void {
    switch (type) {
      case WireType.BOOL_TRUE:
      case WireType.BOOL_FALSE:
        this.byte(value === true ? 1 : 2);
        return;
      case WireType.I8:
        this.byte((value as number) & 0xff);
        return;
      case WireType.I16:
      case WireType.I32:
        this.zigzag32(value as number);
        return;
      case WireType.I64:
        this.zigzag64(value as bigint);
        return;
      case WireType.DOUBLE:
        this.raw((value as ThriftDouble).bytes);
        return;
      case WireType.BINARY: {
        const bytes = value as Uint8Array;
        this.smallVarint(bytes.length);
        this.raw(bytes);
        return;
      }
      case WireType.LIST:
      case WireType.SET: {
        const list = value as ThriftList;
        this.listHeader(list.elementType, list.items.length);
        for (const item of list.items) this.value(list.elementType, item);
        return;
      }
      case WireType.MAP: {
        const map = value as ThriftMap;
        this.smallVarint(map.entries.length);
        if (map.entries.length === 0) return;
        this.byte((map.keyType << 4) | map.valueType);
        for (const [k, v] of map.entries) {
          this.value(map.keyType, k);
          this.value(map.valueType, v);
        }
        return;
      }
      case WireType.STRUCT:
        this.struct(value as ThriftStruct);
        return;
      default:
        throw new RangeError(`unknown Thrift compact type ${type}`);
    }
  }
}
