import type { CanonicalRow } from '@tillflow/core';
import { tableToIPC } from 'apache-arrow';
import { parquetWasm, rowsToArrowTable, trimParquetFooter } from '../src';

/** The columns parquet-wasm wrote in PLAIN encoding (the rest as dictionaries). */
const PLAIN_COLUMNS = [
  'store_id',
  'business_date',
  'transaction_id',
  'timestamp_ms',
  'utc_offset_minutes',
  'customer_id',
];

/**
 * Rows as the lake's files were written before our own encoder: Arrow, then parquet-wasm's writer with the lake's
 * settings (ZSTD, dictionaries but for PLAIN_COLUMNS, chunk statistics, a short created_by), then the footer trimmed.
 * The reference the encoder's files are compared with, field by field.
 */
export function parquetWasmFile(rows: readonly CanonicalRow[], rowGroupRows = 131_072): Uint8Array {
  const wasm = parquetWasm();
  let builder = new wasm.WriterPropertiesBuilder()
    .setCreatedBy('tillflow-columnar')
    .setCompression(wasm.Compression.ZSTD)
    .setDictionaryEnabled(true)
    .setStatisticsEnabled(wasm.EnabledStatistics.Chunk)
    .setMaxRowGroupSize(rowGroupRows)
    .setWriteBatchSize(Math.min(rowGroupRows, 16_384));
  for (const column of PLAIN_COLUMNS) {
    builder = builder.setColumnDictionaryEnabled(column, false).setColumnEncoding(column, wasm.Encoding.PLAIN);
  }
  const ipc = tableToIPC(rowsToArrowTable(rows, rowGroupRows), 'stream');
  return trimParquetFooter(wasm.writeParquet(wasm.Table.fromIPCStream(ipc), builder.build()));
}
