import type { CanonicalRow } from '@tillflow/core';
import { type ParquetWriteOptions, parquetToRows, rowsToParquet } from './parquet';

/**
 * Several Parquet files of canonical rows (typically a store's store-day files of one month) as one file, every row
 * kept, sorted by store_id, then business_date, then timestamp_ms. The sort is stable: rows that tie keep the order
 * of `files` and, within a file, their file order, so a transaction's lines stay in the order the store wrote them.
 *
 * Sorting is what makes the compacted file small: the transaction ids, instants and customers of a day end up next
 * to each other, where the encodings and ZSTD find them.
 */
export function concatParquet(files: readonly Uint8Array[], options: ParquetWriteOptions = {}): Uint8Array {
  const rows: CanonicalRow[] = [];
  for (const file of files) {
    for (const row of parquetToRows(file)) rows.push(row);
  }
  rows.sort(compareForCompaction);
  return rowsToParquet(rows, options);
}

/** The compaction order: store_id, business_date, timestamp_ms. */
export function compareForCompaction(a: CanonicalRow, b: CanonicalRow): number {
  if (a.store_id !== b.store_id) return a.store_id < b.store_id ? -1 : 1;
  if (a.business_date !== b.business_date) return a.business_date < b.business_date ? -1 : 1;
  return a.timestamp_ms - b.timestamp_ms;
}
