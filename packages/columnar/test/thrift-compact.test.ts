import { describe, expect, it } from 'vitest';
import { readStruct, type ThriftStruct, WireType, writeStruct } from '../src/thrift-compact';

describe('Thrift compact protocol', () => {
  it('decodes hand-encoded bytes', () => {
    // field 1 i32 = -3 (zigzag 5), field 2 binary "hi", field 20 (long form) bool true, field 21 list<i64> [1, -1], stop
    const bytes = Uint8Array.from([0x15, 0x05, 0x18, 0x02, 0x68, 0x69, 0x01, 0x28, 0x19, 0x26, 0x02, 0x01, 0x00]);
    const { struct, end } = readStruct(bytes);
    expect(end).toBe(bytes.length);
    expect(struct.fields).toStrictEqual([
      { id: 1, type: WireType.I32, value: -3 },
      { id: 2, type: WireType.BINARY, value: Uint8Array.from([0x68, 0x69]) },
      { id: 20, type: WireType.BOOL_TRUE, value: true },
      {
        id: 21,
        type: WireType.LIST,
        value: { kind: 'list', wireType: WireType.LIST, elementType: WireType.I64, items: [1n, -1n] },
      },
    ]);
    expect(writeStruct(struct)).toStrictEqual(bytes);
  });

  it('round-trips every wire type, long lists, large ids and 64-bit extremes', () => {
    const nested: ThriftStruct = { kind: 'struct', fields: [{ id: 3, type: WireType.BOOL_TRUE, value: false }] };
    const struct: ThriftStruct = {
      kind: 'struct',
      fields: [
        { id: 1, type: WireType.I8, value: -128 },
        { id: 2, type: WireType.I16, value: -32768 },
        { id: 3, type: WireType.I32, value: 2_147_483_647 },
        { id: 4, type: WireType.I64, value: -(2n ** 63n) },
        { id: 5, type: WireType.I64, value: 2n ** 63n - 1n },
        {
          id: 6,
          type: WireType.DOUBLE,
          value: { kind: 'double', bytes: new Uint8Array(new Float64Array([Math.PI]).buffer) },
        },
        // Around 2^49, where the reader moves from number to bigint arithmetic.
        {
          id: 39,
          type: WireType.LIST,
          value: {
            kind: 'list',
            wireType: WireType.LIST,
            elementType: WireType.I64,
            items: [2n ** 48n - 1n, 2n ** 48n, -(2n ** 48n) - 1n, 2n ** 49n + 5n, -(2n ** 52n), 0n],
          },
        },
        { id: 40, type: WireType.STRUCT, value: nested },
        {
          id: 41,
          type: WireType.LIST,
          value: {
            kind: 'list',
            wireType: WireType.LIST,
            elementType: WireType.I32,
            items: Array.from({ length: 20 }, (_, i) => i - 10),
          },
        },
        {
          id: 42,
          type: WireType.SET,
          value: { kind: 'list', wireType: WireType.SET, elementType: WireType.BOOL_TRUE, items: [true, false] },
        },
        {
          id: 43,
          type: WireType.MAP,
          value: {
            kind: 'map',
            keyType: WireType.BINARY,
            valueType: WireType.STRUCT,
            entries: [[new Uint8Array([7]), nested]],
          },
        },
        { id: 44, type: WireType.MAP, value: { kind: 'map', keyType: 0, valueType: 0, entries: [] } },
        { id: 300, type: WireType.BINARY, value: new Uint8Array(300).fill(9) },
      ],
    };
    const bytes = writeStruct(struct);
    expect(readStruct(bytes).struct).toStrictEqual(struct);
    expect(writeStruct(readStruct(bytes).struct)).toStrictEqual(bytes);
  });

  it('keeps fields in the order given, writing an id that goes back in the long form', () => {
    const struct: ThriftStruct = {
      kind: 'struct',
      fields: [
        { id: 5, type: WireType.I32, value: 1 },
        { id: 2, type: WireType.I32, value: -1 },
      ],
    };
    const bytes = writeStruct(struct);
    // field 5 (delta 5) i32 1 (zigzag 2); field 2 long form: type, zigzag id 4, i32 -1 (zigzag 1); stop
    expect([...bytes]).toStrictEqual([0x55, 0x02, 0x05, 0x04, 0x01, 0x00]);
    expect(readStruct(bytes).struct).toStrictEqual(struct);
  });

  it('rejects truncated input', () => {
    expect(() => readStruct(Uint8Array.from([0x18, 0x05, 0x68]))).toThrow(/truncated/);
    expect(() => readStruct(Uint8Array.from([0x15]))).toThrow(/truncated/);
  });

  it('rejects varints longer than their type and unknown wire types', () => {
    // i32 field: 5 varint bytes are the most a 32-bit value takes.
    expect(readStruct(Uint8Array.from([0x15, 0xfe, 0xff, 0xff, 0xff, 0x0f, 0x00])).struct.fields[0]?.value).toBe(
      2_147_483_647,
    );
    expect(() => readStruct(Uint8Array.from([0x15, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00, 0x00]))).toThrow(/32-bit/);
    // i64 field: 10 bytes at most.
    const elevenBytes = [0x16, ...Array<number>(10).fill(0x80), 0x00, 0x00];
    expect(() => readStruct(Uint8Array.from(elevenBytes))).toThrow(/longer than 64 bits/);
    expect(() => readStruct(Uint8Array.from([0x1d, 0x00]))).toThrow(/unknown Thrift compact type 13/);
  });
});
