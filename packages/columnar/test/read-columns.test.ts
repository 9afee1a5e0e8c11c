import { ValidationError } from '@tillflow/core';
import { describe, expect, it } from 'vitest';
import { type CanonicalColumn, readParquetColumns, rowsToParquet } from '../src';
import { edgeRows, storeDayRows } from './fixtures';

describe('readParquetColumns', () => {
  const rows = [...storeDayRows(700), ...edgeRows()];
  const file = rowsToParquet(rows, { rowGroupRows: 256 });

  it('returns exactly the named columns, one value per row in file order', async () => {
    const columns = await readParquetColumns(file, ['line_total_cents', 'item_name', 'timestamp_ms']);
    expect(Object.keys(columns).sort()).toStrictEqual(['item_name', 'line_total_cents', 'timestamp_ms']);
    expect(columns.line_total_cents).toStrictEqual(rows.map((r) => r.line_total_cents));
    expect(columns.item_name).toStrictEqual(rows.map((r) => r.item_name));
    expect(columns.timestamp_ms).toStrictEqual(rows.map((r) => r.timestamp_ms));
  });

  it('reads every canonical column the same as the rows', async () => {
    const names = Object.keys(rows[0] ?? {}) as CanonicalColumn[];
    const columns = await readParquetColumns(file, names);
    for (const name of names) expect(columns[name]).toStrictEqual(rows.map((r) => r[name]));
  });

  it('returns nothing for no columns and reads a repeated name once', async () => {
    expect(await readParquetColumns(file, [])).toStrictEqual({});
    const columns = await readParquetColumns(file, ['quantity', 'quantity']);
    expect(columns.quantity).toStrictEqual(rows.map((r) => r.quantity));
  });

  it('rejects a name that is not a canonical column', async () => {
    await expect(readParquetColumns(file, ['quantity', 'price' as CanonicalColumn])).rejects.toThrow(ValidationError);
    await expect(readParquetColumns(file, ['price' as CanonicalColumn])).rejects.toThrow(
      /"price" is not a canonical column/,
    );
  });

  it('reads the columns of an empty file as empty arrays', async () => {
    expect(await readParquetColumns(rowsToParquet([]), ['customer_id', 'quantity'])).toStrictEqual({
      customer_id: [],
      quantity: [],
    });
  });
});
