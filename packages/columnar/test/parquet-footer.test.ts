import { tableToIPC } from 'apache-arrow';
import { parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { ARROW_SCHEMA_KEY, parquetToRows, parquetWasm, rowsToArrowTable, trimParquetFooter } from '../src';
import { arrayBufferOf, storeDayRows } from './fixtures';

/** A file as parquet-wasm writes it, with page-level statistics (hence a page index) and the Arrow schema. */
function untrimmedFile(rowGroupRows: number): Uint8Array {
  const wasm = parquetWasm();
  const ipc = tableToIPC(rowsToArrowTable(storeDayRows(900), rowGroupRows), 'stream');
  const properties = new wasm.WriterPropertiesBuilder()
    .setCompression(wasm.Compression.ZSTD)
    .setStatisticsEnabled(wasm.EnabledStatistics.Page)
    .setMaxRowGroupSize(rowGroupRows)
    .build();
  return wasm.writeParquet(wasm.Table.fromIPCStream(ipc), properties);
}

describe('trimParquetFooter', () => {
  const original = untrimmedFile(400);
  const trimmed = trimParquetFooter(original);
  const before = parquetMetadata(arrayBufferOf(original));
  const after = parquetMetadata(arrayBufferOf(trimmed));

  it('keeps every value', () => {
    expect(parquetToRows(trimmed)).toStrictEqual(storeDayRows(900));
  });

  it('removes the Arrow schema, the page index and the redundant statistics, and nothing else', () => {
    expect(before.key_value_metadata?.map((kv) => kv.key)).toContain(ARROW_SCHEMA_KEY);
    expect(after.key_value_metadata).toBeUndefined();
    expect(after.schema).toStrictEqual(before.schema);
    expect(after.num_rows).toBe(before.num_rows);
    expect(after.created_by).toBe(before.created_by);
    expect(after.row_groups).toHaveLength(3);
    after.row_groups.forEach((group, g) => {
      const old = before.row_groups[g];
      expect(group.num_rows).toBe(old?.num_rows);
      group.columns.forEach((chunk, c) => {
        const oldChunk = old?.columns[c];
        expect(oldChunk?.offset_index_offset).toBeDefined();
        expect(chunk.offset_index_offset).toBeUndefined();
        expect(chunk.column_index_offset).toBeUndefined();
        const { statistics, encoding_stats, size_statistics, ...kept } = chunk.meta_data ?? {};
        const {
          statistics: oldStatistics,
          encoding_stats: _e,
          size_statistics: _s,
          ...oldKept
        } = oldChunk?.meta_data ?? {};
        expect(encoding_stats).toBeUndefined();
        expect(size_statistics).toBeUndefined();
        expect(kept).toStrictEqual(oldKept);
        expect(statistics?.min_value).toStrictEqual(oldStatistics?.min_value);
        expect(statistics?.max_value).toStrictEqual(oldStatistics?.max_value);
        expect(statistics?.null_count).toBe(0n);
        expect(statistics?.min).toBeUndefined();
      });
    });
  });

  it('cuts the unreferenced page index bytes, leaving the column data in place', () => {
    const lastChunkEnd = Math.max(
      ...before.row_groups.flatMap((g) =>
        g.columns.map(
          (c) =>
            Number(c.meta_data?.dictionary_page_offset ?? c.meta_data?.data_page_offset) +
            Number(c.meta_data?.total_compressed_size),
        ),
      ),
    );
    expect(trimmed.subarray(0, lastChunkEnd)).toStrictEqual(original.subarray(0, lastChunkEnd));
    expect(trimmed.length).toBe(lastChunkEnd + after.metadata_length + 8);
    expect(trimmed.length).toBeLessThan(original.length - 1_000);
  });

  it('is idempotent', () => {
    expect(trimParquetFooter(trimmed)).toStrictEqual(trimmed);
  });

  it('rejects what is not a Parquet file', () => {
    expect(() => trimParquetFooter(new Uint8Array([1, 2, 3]))).toThrow(/not a Parquet file/);
    const badLength = trimmed.slice();
    new DataView(badLength.buffer).setUint32(badLength.length - 8, badLength.length, true);
    expect(() => trimParquetFooter(badLength)).toThrow(/footer length/);
  });
});
