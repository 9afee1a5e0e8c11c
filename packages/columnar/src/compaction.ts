import type { CanonicalRow } from '@tillflow/core';
import { parquetToRows, rowsToParquet } from './parquet';
import type { ParquetWriteOptions } from './parquet-encoder';

/** What the compaction sorts by. */
export type CompactionKey = Pick<CanonicalRow, 'store_id' | 'business_date' | 'timestamp_ms'>;

/**
 * Several Parquet files of canonical rows (typically a store's store-day files of one month) as one file, every row
 * kept, in the order of compareForCompaction. The sort is stable: rows that tie keep the order of `files` and,
 * within a file, their file order, so a transaction's lines stay in the order the store wrote them.
 *
 * Sorting is what makes the compacted file small: a day's transaction ids, instants and customers end up next to
 * each other, where the encodings and ZSTD find them. Memory: the rows of all files are held at once, about half a
 * kilobyte a row at the peak with the Parquet writer's copies (1M rows: some 450 MB), which a store-month fits.
 */
export function concatParquet(files: readonly Uint8Array[], options: ParquetWriteOptions = {}): Uint8Array {
  const rows: CanonicalRow[] = [];
  for (const file of files) {
    for (const row of parquetToRows(file)) rows.push(row);
  }
  // Array.prototype.sort is stable (ES2019).
  rows.sort(compareForCompaction);
  return rowsToParquet(rows, options);
}

/** The compaction order: store_id, then business_date, then timestamp_ms. */
export function compareForCompaction(a: CompactionKey, b: CompactionKey): number {
  if (a.store_id !== b.store_id) return a.store_id < b.store_id ? -1 : 1;
  if (a.business_date !== b.business_date) return a.business_date < b.business_date ? -1 : 1;
  return a.timestamp_ms - b.timestamp_ms;
}
