import { type CanonicalRow, ValidationError } from '@tillflow/core';
import { parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { CANONICAL_COLUMNS, parquetToRows, rowsToParquet } from '../src';
import { arrayBufferOf, edgeRows, storeDayRows } from './fixtures';

function sum(
  rows: readonly CanonicalRow[],
  column: 'unit_price_cents' | 'line_total_cents' | 'discount_cents',
): number {
  let total = 0;
  for (const row of rows) total += row[column];
  return total;
}

describe('rowsToParquet / parquetToRows', () => {
  it('round-trips rows at the edges of every column exactly', () => {
    const rows = edgeRows();
    expect(parquetToRows(rowsToParquet(rows))).toStrictEqual(rows);
  });

  it('round-trips a store-day of rows in the same order, every field', () => {
    const rows = storeDayRows(2_000);
    const back = parquetToRows(rowsToParquet(rows));
    expect(back).toHaveLength(2_000);
    expect(back).toStrictEqual(rows);
    // Field order too: consumers that serialise rows get the canonical order.
    expect(Object.keys(back[0] as CanonicalRow)).toStrictEqual([...CANONICAL_COLUMNS]);
  });

  it('keeps the sums of the money columns to the cent', () => {
    const rows = [...storeDayRows(3_000, '0002'), ...edgeRows()];
    const back = parquetToRows(rowsToParquet(rows));
    for (const column of ['unit_price_cents', 'line_total_cents', 'discount_cents'] as const) {
      expect(sum(back, column)).toBe(sum(rows, column));
    }
    expect(sum(back, 'line_total_cents')).toBe(
      sum(storeDayRows(3_000, '0002'), 'line_total_cents') + Number.MAX_SAFE_INTEGER,
    );
  });

  it('keeps order and values across row groups', () => {
    const rows = storeDayRows(1_000);
    const file = rowsToParquet(rows, { rowGroupRows: 300 });
    const metadata = parquetMetadata(arrayBufferOf(file));
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toStrictEqual([300, 300, 300, 100]);
    expect(parquetToRows(file)).toStrictEqual(rows);
  });

  it('round-trips many distinct strings and strings repeated thousands of times', () => {
    const rows = storeDayRows(5_000).map((row, i) => ({
      ...row,
      transaction_id: `TXN-${i}`,
      customer_id: i % 2 === 0 ? 'CUST-SAME' : `CUST-${i}-é`,
    }));
    expect(parquetToRows(rowsToParquet(rows))).toStrictEqual(rows);
  });

  it('tells apart different strings whose bytes hash alike', () => {
    // "name-93vu" and "name-gtea" share a 32-bit FNV-1a hash (with their length mixed in), the key under which the
    // reader reuses decoded strings: each must still come back as itself.
    const [row] = storeDayRows(1);
    const names = ['name-93vu', 'name-gtea', 'name-93vu', 'x', 'name-gtea', 'name-gtea'];
    const rows = names.map((item_name) => ({ ...(row as CanonicalRow), item_name }));
    expect(parquetToRows(rowsToParquet(rows)).map((r) => r.item_name)).toStrictEqual(names);
  });

  it('writes an empty list as a valid file with the schema and 0 rows', () => {
    const file = rowsToParquet([]);
    const metadata = parquetMetadata(arrayBufferOf(file));
    expect(Number(metadata.num_rows)).toBe(0);
    expect(metadata.schema.slice(1).map((s) => s.name)).toStrictEqual([...CANONICAL_COLUMNS]);
    expect(parquetToRows(file)).toStrictEqual([]);
  });

  it('rejects values a column cannot store exactly, naming row and column', () => {
    const [row] = edgeRows() as [CanonicalRow];
    const cases: [Partial<CanonicalRow>, RegExp][] = [
      [{ quantity: 1.5 }, /row 1: quantity 1\.5/],
      [{ quantity: 2 ** 31 }, /row 1: quantity/],
      [{ utc_offset_minutes: 40_000 }, /row 1: utc_offset_minutes/],
      [{ line_total_cents: 2 ** 53 }, /row 1: line_total_cents/],
      [{ unit_price_cents: 10.5 }, /row 1: unit_price_cents/],
      [{ timestamp_ms: Number.NaN }, /row 1: timestamp_ms NaN/],
      [{ payment_method: 'cheque' as CanonicalRow['payment_method'] }, /row 1: payment_method "cheque"/],
      [{ item_name: 42 as unknown as string }, /row 1: item_name 42/],
    ];
    for (const [change, message] of cases) {
      const write = () => rowsToParquet([row, { ...row, ...change }]);
      expect(write).toThrow(ValidationError);
      expect(write).toThrow(message);
    }
  });

  it('rejects text that UTF-8 cannot carry (a lone surrogate) rather than change it', () => {
    const [row] = edgeRows() as [CanonicalRow];
    expect(() => rowsToParquet([{ ...row, item_name: 'Mug \uD83C' }])).toThrow(
      /item_name "Mug \\ud83c" is not well-formed/,
    );
    expect(() => rowsToParquet([{ ...row, customer_id: '\uDC00é' }])).toThrow(ValidationError);
  });

  it('rejects a row group size that is not a positive integer', () => {
    expect(() => rowsToParquet([], { rowGroupRows: 0 })).toThrow(RangeError);
    expect(() => rowsToParquet([], { rowGroupRows: 1.5 })).toThrow(RangeError);
  });

  it('rejects bytes that are not Parquet', () => {
    expect(() => parquetToRows(new TextEncoder().encode('[{"not":"parquet"}]'))).toThrow();
  });
});
