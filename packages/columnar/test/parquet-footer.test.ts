import { tableToIPC } from 'apache-arrow';
import { parquetMetadata } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { ARROW_SCHEMA_KEY, parquetToRows, parquetWasm, rowsToArrowTable, trimParquetFooter } from '../src';
import { field, readStruct, type ThriftList, type ThriftStruct, WireType, writeStruct } from '../src/thrift-compact';
import { arrayBufferOf, storeDayRows } from './fixtures';

/**
 * A file as parquet-wasm writes it, with page-level statistics (hence a page index), the Arrow schema and
 * `keyValues`.
 */
function untrimmedFile(rowGroupRows: number, keyValues = new Map<string, string>()): Uint8Array {
  const wasm = parquetWasm();
  const ipc = tableToIPC(rowsToArrowTable(storeDayRows(900), rowGroupRows), 'stream');
  const properties = new wasm.WriterPropertiesBuilder()
    .setCompression(wasm.Compression.ZSTD)
    .setStatisticsEnabled(wasm.EnabledStatistics.Page)
    .setMaxRowGroupSize(rowGroupRows)
    .setKeyValueMetadata(keyValues)
    .build();
  return wasm.writeParquet(wasm.Table.fromIPCStream(ipc), properties);
}

const utf8 = new TextEncoder();

/** `file` with its footer decoded, changed by `edit` and written back after `gap` (bytes kept between data and footer). */
function withFooter(file: Uint8Array, edit: (meta: ThriftStruct) => void, gap = new Uint8Array()): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const footerStart = file.length - 8 - view.getUint32(file.length - 8, true);
  const { struct: meta } = readStruct(file, footerStart);
  edit(meta);
  const footer = writeStruct(meta);
  const out = new Uint8Array(footerStart + gap.length + footer.length + 8);
  out.set(file.subarray(0, footerStart));
  out.set(gap, footerStart);
  out.set(footer, footerStart + gap.length);
  new DataView(out.buffer).setUint32(out.length - 8, gap.length + footer.length, true);
  out.set(utf8.encode('PAR1'), out.length - 4);
  return out;
}

/** The struct items of the list field `id` of `struct`. */
function structList(struct: ThriftStruct, id: number): ThriftStruct[] {
  const list = field(struct, id)?.value as ThriftList | undefined;
  return (list?.items ?? []) as ThriftStruct[];
}

/** The ColumnMetaData (field 3) of every column chunk (field 1) of every row group (field 4) of a decoded footer. */
function columnMetas(meta: ThriftStruct): ThriftStruct[] {
  return structList(meta, 4).flatMap((group) =>
    structList(group, 1).map((chunk) => field(chunk, 3)?.value as ThriftStruct),
  );
}

/** Where the last column chunk's pages end. */
function lastChunkEnd(metadata: ReturnType<typeof parquetMetadata>): number {
  return Math.max(
    ...metadata.row_groups.flatMap((g) =>
      g.columns.map(
        (c) =>
          Number(c.meta_data?.dictionary_page_offset ?? c.meta_data?.data_page_offset) +
          Number(c.meta_data?.total_compressed_size),
      ),
    ),
  );
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
    const dataEnd = lastChunkEnd(before);
    expect(trimmed.subarray(0, dataEnd)).toStrictEqual(original.subarray(0, dataEnd));
    expect(trimmed.length).toBe(dataEnd + after.metadata_length + 8);
    expect(trimmed.length).toBeLessThan(original.length - 1_000);
  });

  it('keeps key-value metadata other than the Arrow schema', () => {
    const file = untrimmedFile(400, new Map([['origin', 'store 0007']]));
    const metadata = parquetMetadata(arrayBufferOf(trimParquetFooter(file)));
    expect(metadata.key_value_metadata).toStrictEqual([{ key: 'origin', value: 'store 0007' }]);
  });

  it('keeps the deprecated min and max of a column whose statistics have no min_value and max_value', () => {
    const oldStyle = withFooter(original, (meta) => {
      for (const columnMeta of columnMetas(meta)) {
        const statistics = field(columnMeta, 12)?.value as ThriftStruct;
        statistics.fields = statistics.fields.filter((f) => f.id !== 5 && f.id !== 6);
      }
    });
    // utc_offset_minutes: an integer column, which has the deprecated statistics as well (strings have not).
    const chunk = (file: Uint8Array) => parquetMetadata(arrayBufferOf(file)).row_groups[0]?.columns[4]?.meta_data;
    const kept = chunk(trimParquetFooter(oldStyle))?.statistics;
    expect(kept?.min_value).toBeUndefined();
    expect(kept?.min).toBe(-300);
    expect(kept?.max).toBe(-300);
    expect(kept).toStrictEqual(chunk(oldStyle)?.statistics);
  });

  it('keeps a bloom filter the footer points at, and everything before the footer when its length is unknown', () => {
    const dataEnd = lastChunkEnd(before);
    const withBloom = (length?: number) =>
      withFooter(original, (meta) => {
        const [first] = columnMetas(meta);
        first?.fields.push({ id: 14, type: WireType.I64, value: BigInt(dataEnd) });
        if (length !== undefined) first?.fields.push({ id: 15, type: WireType.I32, value: length });
      });
    const bloomEnd = dataEnd + 40;
    const known = trimParquetFooter(withBloom(40));
    expect(known.subarray(0, bloomEnd)).toStrictEqual(original.subarray(0, bloomEnd));
    expect(known.length).toBe(bloomEnd + parquetMetadata(arrayBufferOf(known)).metadata_length + 8);

    const unknown = withBloom();
    const footerStart = original.length - 8 - before.metadata_length;
    const kept = trimParquetFooter(unknown);
    expect(kept.subarray(0, footerStart)).toStrictEqual(original.subarray(0, footerStart));
    expect(kept.length).toBe(footerStart + parquetMetadata(arrayBufferOf(kept)).metadata_length + 8);
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

  it('rejects a footer that ends before its stated length, and a column chunk that reaches into the footer', () => {
    // A byte of padding after the footer's struct: the length covers it, the struct does not.
    const padded = withFooter(trimmed, () => {});
    const footerLength = new DataView(padded.buffer).getUint32(padded.length - 8, true);
    const withTail = new Uint8Array(padded.length + 1);
    withTail.set(padded.subarray(0, padded.length - 8));
    new DataView(withTail.buffer).setUint32(withTail.length - 8, footerLength + 1, true);
    withTail.set(padded.subarray(padded.length - 4), withTail.length - 4);
    expect(() => trimParquetFooter(withTail)).toThrow(/does not end where its length says/);

    const overlong = withFooter(trimmed, (meta) => {
      const [first] = columnMetas(meta);
      const size = first && field(first, 7);
      if (size) size.value = BigInt(trimmed.length);
    });
    expect(() => trimParquetFooter(overlong)).toThrow(/reaches into the Parquet footer/);
  });
});
