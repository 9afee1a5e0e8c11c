import { parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { ARROW_SCHEMA_KEY, CANONICAL_COLUMNS, rowsToParquet } from '../src';
import { arrayBufferOf, edgeRows, storeDayRows } from './fixtures';
import { readWithHyparquet } from './readers';

describe('the files are standard Parquet', () => {
  const rows = [...storeDayRows(1_500), ...edgeRows()];
  const file = rowsToParquet(rows, { rowGroupRows: 1_000 });
  const metadata = parquetMetadata(arrayBufferOf(file));

  it('an independent reader gets every value back', async () => {
    expect(await readWithHyparquet(file)).toStrictEqual(rows);
  });

  it('declares the canonical schema: names in order, required, logical types', () => {
    const columns = metadata.schema.slice(1);
    expect(columns.map((c) => c.name)).toStrictEqual([...CANONICAL_COLUMNS]);
    expect(columns.every((c) => c.repetition_type === 'REQUIRED')).toBe(true);
    const byName = Object.fromEntries(columns.map((c) => [c.name, c]));
    expect(byName.item_name?.logical_type).toStrictEqual({ type: 'STRING' });
    expect(byName.timestamp_ms?.type).toBe('INT64');
    expect(byName.timestamp_ms?.logical_type).toMatchObject({
      type: 'TIMESTAMP',
      unit: 'MILLIS',
      isAdjustedToUTC: true,
    });
    expect(byName.line_total_cents?.type).toBe('INT64');
    expect(byName.utc_offset_minutes?.logical_type).toMatchObject({ type: 'INTEGER', bitWidth: 16, isSigned: true });
  });

  it('compresses every column chunk with ZSTD', () => {
    const codecs = metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec));
    expect(codecs).toHaveLength(2 * CANONICAL_COLUMNS.length);
    expect(new Set(codecs)).toStrictEqual(new Set(['ZSTD']));
  });

  it('dictionary-encodes the catalogue columns', () => {
    const [group] = metadata.row_groups;
    const encodings = Object.fromEntries(
      (group?.columns ?? []).map((c) => [c.meta_data?.path_in_schema[0], c.meta_data?.encodings]),
    );
    for (const column of ['item_sku', 'item_name', 'quantity', 'unit_price_cents', 'payment_method']) {
      expect(encodings[column]).toContain('RLE_DICTIONARY');
    }
  });

  it('carries min, max and null count statistics for every column chunk', () => {
    const [first, second] = metadata.row_groups;
    const stats = (group: typeof first, column: string) =>
      group?.columns.find((c) => c.meta_data?.path_in_schema[0] === column)?.meta_data?.statistics;
    for (const group of [first, second]) {
      for (const chunk of group?.columns ?? []) {
        expect(chunk.meta_data?.statistics?.null_count).toBe(0n);
        expect(chunk.meta_data?.statistics?.min_value).toBeDefined();
        expect(chunk.meta_data?.statistics?.max_value).toBeDefined();
      }
    }
    const firstGroup = rows.slice(0, 1_000);
    expect(stats(first, 'quantity')?.min_value).toBe(Math.min(...firstGroup.map((r) => r.quantity)));
    expect(stats(first, 'quantity')?.max_value).toBe(Math.max(...firstGroup.map((r) => r.quantity)));
    expect(stats(second, 'line_total_cents')?.max_value).toBe(BigInt(Number.MAX_SAFE_INTEGER));
    // Strings compare as UTF-8 bytes (unsigned), so the Japanese name sorts after every Latin one.
    const names = rows.slice(1_000).map((r) => Buffer.from(r.item_name));
    expect(stats(second, 'item_name')?.max_value).toBe(names.sort(Buffer.compare).at(-1)?.toString());
    expect(stats(second, 'item_name')?.max_value).toMatch(/^東京タワー/);
    expect(stats(first, 'timestamp_ms')?.min_value).toStrictEqual(new Date(rows[0]?.timestamp_ms as number));
  });

  it('leaves out the Arrow schema copy and the page index', () => {
    expect(metadata.key_value_metadata ?? []).not.toContainEqual(expect.objectContaining({ key: ARROW_SCHEMA_KEY }));
    for (const chunk of metadata.row_groups.flatMap((g) => g.columns)) {
      expect(chunk.offset_index_offset).toBeUndefined();
      expect(chunk.column_index_offset).toBeUndefined();
    }
  });
});
