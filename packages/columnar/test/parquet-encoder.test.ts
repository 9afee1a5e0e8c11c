import * as zlib from 'node:zlib';
import type { CanonicalRow } from '@tillflow/core';
import fc from 'fast-check';
import { parquetMetadata } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANONICAL_COLUMNS, CanonicalParquetWriter, parquetToRows, rowsToParquet } from '../src';
import { appendHybrid, ByteSink, ZstdPageCompressor } from '../src/parquet-pages';
import { field, readStruct } from '../src/thrift-compact';
import { arrayBufferOf, edgeRows, storeDayRows } from './fixtures';
import { DuckDbReader, readWithHyparquet } from './readers';
import { parquetWasmFile } from './reference-writer';

const [base] = edgeRows() as [CanonicalRow];

/** Rows with empty text in every text column, and at the Int16 and Int32 bounds. */
function emptyTextRows(): CanonicalRow[] {
  return [
    { ...base, transaction_id: '', item_sku: '', item_name: '', customer_id: '' },
    { ...base, store_id: '', business_date: '', quantity: -2_147_483_648, discount_cents: -Number.MAX_SAFE_INTEGER },
    { ...base, utc_offset_minutes: -32_768 },
    { ...base, utc_offset_minutes: 32_767 },
  ];
}

/** Instants at the ends of the safe integers (beyond what a JavaScript Date holds, so not in the statistics tests). */
function farInstantRows(): CanonicalRow[] {
  return [
    { ...base, timestamp_ms: -Number.MAX_SAFE_INTEGER },
    { ...base, timestamp_ms: Number.MAX_SAFE_INTEGER },
  ];
}

/** More than 2^16 distinct values in the dictionary columns: 17-bit indices. */
function manyDistinctRows(count: number): CanonicalRow[] {
  return storeDayRows(count).map((row, i) => ({
    ...row,
    item_sku: `SKU-${i}`,
    item_name: i % 3 === 0 ? `Ünïque ${i} 🍄` : `Name ${i}`,
    unit_price_cents: 100 + i,
    line_total_cents: (100 + i) * row.quantity,
    discount_cents: i % 70_001,
  }));
}

/** The data sets every reader must read back exactly, with the row group size each is written with. */
const DATA_SETS: [string, () => CanonicalRow[], number | undefined][] = [
  ['an empty file', () => [], undefined],
  ['one row', () => edgeRows().slice(0, 1), undefined],
  ['a store-day', () => storeDayRows(900), undefined],
  ['several row groups', () => storeDayRows(2_500), 1_000],
  ['the bounds: safe money, offsets, instants, Unicode (astral too), long text', edgeRows, undefined],
  ['empty text and the Int16/Int32 bounds', emptyTextRows, undefined],
  ['instants at the ends of the safe integers', farInstantRows, undefined],
  ['a row group of one row after full ones', () => storeDayRows(201, '0042'), 100],
  ['more than 2^16 distinct values in a dictionary', () => manyDistinctRows(2 ** 16 + 500), undefined],
];

describe('the canonical Parquet encoder, read by three independent readers', () => {
  let duckdb: DuckDbReader;
  beforeAll(async () => {
    duckdb = await DuckDbReader.open();
  });
  afterAll(() => duckdb.close());

  for (const [name, make, rowGroupRows] of DATA_SETS) {
    // Three readers over 66,036 rows take some seconds, more on a loaded machine.
    it(`${name}: hyparquet, parquet-wasm and DuckDB get every row back`, { timeout: 180_000 }, async () => {
      const rows = make();
      const file = rowsToParquet(rows, { rowGroupRows });
      expect(await readWithHyparquet(file)).toStrictEqual(rows);
      expect(parquetToRows(file)).toStrictEqual(rows);
      expect(await duckdb.rows(file)).toStrictEqual(rows);
    });
  }

  it('DuckDB sees the canonical types', async () => {
    expect(await duckdb.types(rowsToParquet(storeDayRows(10)))).toStrictEqual({
      store_id: 'VARCHAR',
      business_date: 'VARCHAR',
      transaction_id: 'VARCHAR',
      timestamp_ms: 'TIMESTAMP WITH TIME ZONE',
      utc_offset_minutes: 'SMALLINT',
      item_sku: 'VARCHAR',
      item_name: 'VARCHAR',
      quantity: 'INTEGER',
      unit_price_cents: 'BIGINT',
      line_total_cents: 'BIGINT',
      discount_cents: 'BIGINT',
      payment_method: 'VARCHAR',
      customer_id: 'VARCHAR',
    });
  });

  it('DuckDB reads the statistics of every column chunk, and they bound the data exactly', async () => {
    const rows = [...storeDayRows(1_200), ...emptyTextRows(), ...manyDistinctRows(300)];
    const stats = await duckdb.statistics(rowsToParquet(rows, { rowGroupRows: 500 }));
    expect(stats).toHaveLength(4 * CANONICAL_COLUMNS.length);
    for (const { group, column, min, max, nulls } of stats) {
      const values = rows.slice(500 * group, 500 * (group + 1)).map((r) => r[column as keyof CanonicalRow]);
      const [low, high] = bounds(values);
      expect(nulls).toBe(0);
      if (column === 'timestamp_ms') {
        expect([Date.parse(min), Date.parse(max)]).toStrictEqual([low, high]);
      } else {
        expect([min, max]).toStrictEqual([String(low), String(high)]);
      }
    }
  });
});

describe('dictionary indices', () => {
  it('take 17 bits for more than 2^16 distinct values (the bit width in the data page)', () => {
    const rows = manyDistinctRows(2 ** 16 + 500);
    const file = rowsToParquet(rows);
    const chunk = parquetMetadata(arrayBufferOf(file)).row_groups[0]?.columns[5]?.meta_data;
    expect(chunk?.path_in_schema).toStrictEqual(['item_sku']);
    const { struct: header, end } = readStruct(file, Number(chunk?.data_page_offset));
    const compressedSize = field(header, 3)?.value as number;
    const decompress = (zlib as unknown as { zstdDecompressSync: (d: Uint8Array) => Buffer }).zstdDecompressSync;
    const page = decompress(file.subarray(end, end + compressedSize));
    expect(page[0]).toBe(17);
    // 66,036 values of 17 bits, bit-packed (no runs: every SKU is new).
    expect(page.length).toBeGreaterThanOrEqual(1 + Math.ceil((rows.length * 17) / 8));
  });
});

describe('column-chunk statistics', () => {
  const rows = [...storeDayRows(1_500), ...edgeRows(), ...emptyTextRows()];
  const file = rowsToParquet(rows, { rowGroupRows: 700 });
  const metadata = parquetMetadata(arrayBufferOf(file));

  it('give every row group and column the least and greatest value (text as UTF-8 bytes), null count 0', () => {
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toStrictEqual([700, 700, 111]);
    metadata.row_groups.forEach((group, g) => {
      const slice = rows.slice(700 * g, 700 * (g + 1));
      for (const chunk of group.columns) {
        const column = chunk.meta_data?.path_in_schema[0] as keyof CanonicalRow;
        const statistics = chunk.meta_data?.statistics;
        const [low, high] = bounds(slice.map((r) => r[column]));
        expect(statistics?.null_count).toBe(0n);
        const read = (value: unknown) =>
          value instanceof Date ? value.getTime() : typeof value === 'bigint' ? Number(value) : value;
        if (column === 'customer_id' && g === 2) {
          // 'x' × 5,000 is the greatest: cut to 64 bytes and raised ('x' × 63 then 'y'), flagged inexact.
          expect(statistics?.max_value).toBe(`${'x'.repeat(63)}y`);
          expect(statistics?.is_max_value_exact).toBe(false);
          expect(read(statistics?.min_value)).toBe(low);
          expect(statistics?.is_min_value_exact).toBe(true);
        } else {
          expect([read(statistics?.min_value), read(statistics?.max_value)]).toStrictEqual([low, high]);
          expect([statistics?.is_min_value_exact, statistics?.is_max_value_exact]).toStrictEqual([true, true]);
        }
      }
    });
  });

  it('cut a long least value at a character boundary, without raising it', () => {
    const long = `${'é'.repeat(40)}z`; // 81 bytes: cut to 64 bytes (32 × é), which precedes it
    const file = rowsToParquet([{ ...base, item_name: long }]);
    const chunk = parquetMetadata(arrayBufferOf(file)).row_groups[0]?.columns[6]?.meta_data;
    expect(chunk?.statistics?.min_value).toBe('é'.repeat(32));
    expect(chunk?.statistics?.is_min_value_exact).toBe(false);
    // The maximum cut to 'é' × 32 and its last character raised: 'é' × 31 then 'ê'.
    expect(chunk?.statistics?.max_value).toBe(`${'é'.repeat(31)}ê`);
    expect(chunk?.statistics?.is_max_value_exact).toBe(false);
  });
});

describe('the same file as parquet-wasm wrote', () => {
  const cases: [string, CanonicalRow[], number][] = [
    ['an empty file', [], 131_072],
    ['one row', edgeRows().slice(0, 1), 131_072],
    ['a store-day', storeDayRows(900), 131_072],
    ['several row groups', storeDayRows(2_500, '0003', '2025-11-02', 3), 1_000],
    ['the bounds', [...edgeRows(), ...emptyTextRows()], 131_072],
    ['long runs and single values in the dictionary columns', runsRows(), 131_072],
  ];
  for (const [name, rows, rowGroupRows] of cases) {
    it(`${name}: byte for byte`, () => {
      const ours = Buffer.from(rowsToParquet(rows, { rowGroupRows }));
      expect(ours.equals(Buffer.from(parquetWasmFile(rows, rowGroupRows)))).toBe(true);
    });
  }
});

/** Rows whose dictionary columns come in runs of every length around 8 (where the hybrid switches to RLE). */
function runsRows(): CanonicalRow[] {
  const rows: CanonicalRow[] = [];
  for (let run = 1; run <= 70; run++) {
    for (let k = 0; k < (run % 17) + 1; k++) {
      rows.push({ ...base, quantity: run, payment_method: run % 2 === 0 ? 'cash' : 'credit', item_sku: `S${run % 9}` });
    }
  }
  return rows;
}

describe('CanonicalParquetWriter', () => {
  it('writes each row group out as soon as it is full', () => {
    const writer = new CanonicalParquetWriter({ rowGroupRows: 100 });
    const rows = storeDayRows(250);
    for (const row of rows) writer.add(row);
    expect(writer.rows).toBe(250);
    const file = writer.finish();
    expect(parquetMetadata(arrayBufferOf(file)).row_groups.map((g) => Number(g.num_rows))).toStrictEqual([
      100, 100, 50,
    ]);
    expect(parquetToRows(file)).toStrictEqual(rows);
    expect(() => writer.finish()).toThrow(/is finished/);
    expect(() => writer.add(rows[0] as CanonicalRow)).toThrow(/is finished/);
  });

  it('cuts a row group early, at a multiple of 1,024 rows, when its values pass maxRowGroupBytes', () => {
    const rows = storeDayRows(3_000).map((row, i) => ({ ...row, item_name: `${'n'.repeat(40)} ${i}` }));
    const file = rowsToParquet(rows, { maxRowGroupBytes: 60_000 });
    expect(parquetMetadata(arrayBufferOf(file)).row_groups.map((g) => Number(g.num_rows))).toStrictEqual([
      1_024, 1_024, 952,
    ]);
    expect(parquetToRows(file)).toStrictEqual(rows);
  });

  it('gives the same file whatever the writer wrote before (buffers are reused between files)', () => {
    const first = rowsToParquet(storeDayRows(900));
    rowsToParquet(manyDistinctRows(5_000), { rowGroupRows: 1_500 });
    const abandoned = new CanonicalParquetWriter();
    for (const row of storeDayRows(50, '0009')) abandoned.add(row);
    const discarded = new CanonicalParquetWriter();
    for (const row of manyDistinctRows(3_000)) discarded.add(row);
    discarded.discard();
    const failed = new CanonicalParquetWriter();
    failed.add(base);
    // The row fails at its quantity, after its first seven columns took their values.
    expect(() => failed.add({ ...base, item_sku: 'NEW', quantity: 0.5 })).toThrow(/row 1: quantity 0.5/);
    // Its first columns hold a value the others lack: it takes nothing more.
    expect(() => failed.add(base)).toThrow(/failed on a row/);
    expect(() => failed.finish()).toThrow(/failed on a row/);
    failed.discard();
    failed.discard();
    const finished = new CanonicalParquetWriter();
    finished.add(base);
    finished.finish();
    // Discarding a finished writer gives nothing back twice (the pool must not hold its buffers twice).
    finished.discard();
    expect(() => finished.add(base)).toThrow(/discarded/);
    expect(rowsToParquet(storeDayRows(900))).toStrictEqual(first);
    expect(rowsToParquet(storeDayRows(900))).toStrictEqual(first);
  });

  it('compresses at the level asked for, and rejects a level ZSTD does not have', () => {
    const rows = storeDayRows(2_000);
    const fast = rowsToParquet(rows);
    const small = rowsToParquet(rows, { compressionLevel: 19 });
    expect(small.length).toBeLessThan(fast.length);
    expect(parquetToRows(small)).toStrictEqual(rows);
    for (const level of [0, 23, 1.5])
      expect(() => rowsToParquet(rows, { compressionLevel: level })).toThrow(RangeError);
  });
});

describe('the RLE/bit-packed hybrid (dictionary indices)', () => {
  const encode = (values: number[], width: number) => {
    const sink = new ByteSink(16);
    appendHybrid(sink, Int32Array.from(values), values.length, width);
    return Buffer.from(sink.view());
  };

  it("chooses the same runs as parquet-wasm's writer, for any mix of runs and values", () => {
    // The oracle is the library itself: the same rows written by parquet-wasm and by the encoder give the same bytes,
    // whatever the runs of the dictionary columns (quantity, unit price, SKU) and so the indices' bit widths.
    const runs = fc.array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.nat({ max: 600 })), {
      minLength: 1,
      maxLength: 60,
    });
    fc.assert(
      fc.property(runs, (spec) => {
        const rows = spec.flatMap(([length, value]) =>
          Array.from({ length }, () => ({
            ...base,
            quantity: value + 1,
            unit_price_cents: value * 7,
            item_sku: `S${value % 97}`,
          })),
        );
        expect(Buffer.from(rowsToParquet(rows)).equals(Buffer.from(parquetWasmFile(rows)))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('closes a bit-packed run at 63 groups, so that its header is one byte', () => {
    const values = Array.from({ length: 64 * 8 + 3 }, (_, i) => i % 5);
    const bytes = encode(values, 3);
    expect(bytes[0]).toBe(63 * 2 + 1);
    expect(bytes[1 + 63 * 3]).toBe(2 * 2 + 1);
  });
});

describe('ZstdPageCompressor', () => {
  const level = (zlib.constants as unknown as { ZSTD_c_compressionLevel: number }).ZSTD_c_compressionLevel;
  const inputs: [string, Buffer][] = [
    ['nothing', Buffer.alloc(0)],
    ['one byte', Buffer.from([7])],
    ['a page of text', Buffer.from('TXN-0001-20251001-0001'.repeat(500))],
    ['200 KB of noise', Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 2_654_435_761) >>> 24))],
    ['1 MB of runs', Buffer.alloc(1_000_000, 'ab')],
  ];

  it('reuses one native context on this Node (the fast path the upload budget counts on)', () => {
    expect(new ZstdPageCompressor(1).path).toBe('reused-context');
  });

  for (const [name, data] of inputs) {
    it(`${name}: the same frame as zstdCompressSync, standing alone`, () => {
      const compressor = new ZstdPageCompressor(3);
      compressor.compress(Buffer.from('something before'));
      const frame = compressor.compress(data);
      const native = (zlib as unknown as { zstdCompressSync: (d: Uint8Array, o: object) => Buffer }).zstdCompressSync(
        data,
        { params: { [level as number]: 3 } },
      );
      expect(Buffer.from(frame).equals(native)).toBe(true);
      const decompress = (zlib as unknown as { zstdDecompressSync: (d: Uint8Array) => Buffer }).zstdDecompressSync;
      expect(decompress(frame).equals(data)).toBe(true);
    });
  }

  it('a page larger than its buffer: a frame that decompresses to the page', () => {
    const data = Buffer.from(Array.from({ length: 3_000_000 }, (_, i) => (i * 2_654_435_761) >>> 27));
    const frame = new ZstdPageCompressor(1).compress(data);
    const decompress = (zlib as unknown as { zstdDecompressSync: (d: Uint8Array) => Buffer }).zstdDecompressSync;
    expect(decompress(frame).equals(data)).toBe(true);
  });
});

/** The least and greatest of `values`: numbers numerically, text by its UTF-8 bytes (Parquet's order). */
function bounds(values: readonly (string | number)[]): [string | number, string | number] {
  if (typeof values[0] === 'number') {
    const numbers = values as number[];
    return [Math.min(...numbers), Math.max(...numbers)];
  }
  const sorted = [...(values as string[])].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  return [sorted[0] as string, sorted.at(-1) as string];
}
