import type { Table } from 'apache-arrow';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import type { CanonicalColumn } from './arrow-schema';
import { trimParquetFooter } from './parquet-footer';
import { parquetWasm } from './parquet-wasm';

/** Rows per row group unless told otherwise: large enough to compress well, small enough to keep a writer lean. */
export const DEFAULT_ROW_GROUP_ROWS = 131_072;

/** How rowsToParquet lays a file out. */
export interface ParquetWriteOptions {
  /**
   * The most rows a row group holds (default DEFAULT_ROW_GROUP_ROWS). The writer keeps one row group's encoded
   * pages in memory at a time, so this bounds its working memory; the input itself passes through WebAssembly
   * memory whole, as Arrow (about 80 bytes a row: 1M rows take some 170 MB beyond the rows themselves).
   */
  rowGroupRows?: number;
}

/** The row group size `options` ask for, checked. */
export function rowGroupRowsOf(options: ParquetWriteOptions): number {
  const rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
  if (!Number.isSafeInteger(rowGroupRows) || rowGroupRows < 1) {
    throw new RangeError(`rowGroupRows must be a positive integer, not ${rowGroupRows}`);
  }
  return rowGroupRows;
}

const WRITE_BATCH_ROWS = 16_384;

/** The `created_by` of our files: short, since it is repeated in every footer of a lake of small files. */
const CREATED_BY = 'tillflow-columnar';

/** An Arrow table of the canonical schema as our Parquet file (see rowsToParquet). */
export function arrowToParquet(table: Table, rowGroupRows: number): Uint8Array {
  const ipc = tableToIPC(table, 'stream');
  const wasm = parquetWasm();
  // writeParquet consumes (frees) the wasm table: it must not be freed again here.
  return trimParquetFooter(wasm.writeParquet(wasm.Table.fromIPCStream(ipc), writerProperties(rowGroupRows)));
}

/** Every column of a Parquet file as an Arrow table. */
export function parquetToArrow(bytes: Uint8Array): Table {
  return tableFromIPC(parquetWasm().readParquet(bytes).intoIPCStream());
}

/**
 * Per-column encodings, chosen by measuring store-day files of the sample month (see scripts/bench/columnar.ts):
 * - PLAIN for the columns whose values come in runs (a store, a date, a transaction's id, instant and customer
 *   repeat on every line of the transaction): ZSTD finds a run in a plain page for less than a dictionary page plus
 *   its index page cost. This took the transaction id from 674 to 315 bytes a file, the customer from 1,063 to 743,
 *   the instant from 1,102 (dictionary) or 732 (DELTA_BINARY_PACKED) to 683.
 * - dictionary for the discount too: BYTE_STREAM_SPLIT measured a little smaller, but DuckDB 1.5 cannot decode an
 *   INT64 column in that encoding, and every engine must read every column of the lake.
 * - dictionary (RLE_DICTIONARY) for the rest: catalogue columns (SKU, name, price, line total, quantity) and the
 *   payment method draw from few values in no particular order.
 */
const PLAIN_COLUMNS = [
  'store_id',
  'business_date',
  'transaction_id',
  'timestamp_ms',
  'utc_offset_minutes',
  'customer_id',
] as const satisfies readonly CanonicalColumn[];

/** The writer settings of every file of the lake (see the encodings above); a new object per file (a write consumes it). */
export function writerProperties(rowGroupRows: number) {
  const { Compression, EnabledStatistics, Encoding, WriterPropertiesBuilder } = parquetWasm();
  let builder = new WriterPropertiesBuilder()
    .setCreatedBy(CREATED_BY)
    // parquet-wasm 0.8 takes no ZSTD level and compresses at 1 (recompressing our pages with the zstd CLI at 1
    // gives the same bytes). Measured on the sample month's pages: 3 would add 2.4%, 9 save 3.7%, 19 save 6.8%.
    .setCompression(Compression.ZSTD)
    .setDictionaryEnabled(true)
    // Chunk statistics (min, max, null count) are what engines prune files and row groups with.
    .setStatisticsEnabled(EnabledStatistics.Chunk)
    .setMaxRowGroupSize(rowGroupRows)
    // The writer checks page sizes and updates statistics once per write batch; 1,024 rows (the default) makes that
    // fixed cost a sixth of the writing time of a store-day file.
    .setWriteBatchSize(Math.min(rowGroupRows, WRITE_BATCH_ROWS));
  for (const column of PLAIN_COLUMNS) {
    builder = builder.setColumnDictionaryEnabled(column, false).setColumnEncoding(column, Encoding.PLAIN);
  }
  return builder.build();
}
