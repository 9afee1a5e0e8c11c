import type { CanonicalRow } from '@tillflow/core';
import { describe, expect, it } from 'vitest';
import {
  COMPACTION_COMPRESSION_LEVEL,
  compareForCompaction,
  concatParquet,
  parquetToRows,
  rowsToParquet,
} from '../src';
import { storeDayRows } from './fixtures';

describe('concatParquet', () => {
  const days = ['2025-10-27', '2025-10-28', '2025-10-29'];
  const storeDays = ['0002', '0001'].flatMap((store) =>
    days.map((date, d) => storeDayRows(400 + 50 * d, store, date, Number(store) * 10 + d)),
  );

  it('keeps every row of every file, sorted by store, date and instant', () => {
    // Files in an order the result must not depend on: later dates first, store 0002 before 0001.
    const files = [...storeDays].reverse().map((rows) => rowsToParquet(rows));
    const compacted = parquetToRows(concatParquet(files));
    const all = storeDays.flat();
    expect(compacted).toHaveLength(all.length);
    const key = (r: CanonicalRow) => JSON.stringify(r);
    expect(compacted.map(key).sort()).toStrictEqual(all.map(key).sort());
    for (let i = 1; i < compacted.length; i++) {
      expect(compareForCompaction(compacted[i - 1] as CanonicalRow, compacted[i] as CanonicalRow)).toBeLessThanOrEqual(
        0,
      );
    }
    expect(compacted[0]?.store_id).toBe('0001');
    expect(compacted[0]?.business_date).toBe('2025-10-27');
    expect(compacted.at(-1)?.store_id).toBe('0002');
    expect(compacted.at(-1)?.business_date).toBe('2025-10-29');
  });

  it('keeps the lines of a transaction in the order the store wrote them', () => {
    const [day] = storeDays as [CanonicalRow[]];
    // Reversing the file's transactions leaves ties on the instant for the sort to keep stable.
    const shuffled = [...day].reverse();
    const compacted = parquetToRows(concatParquet([rowsToParquet(shuffled)]));
    const linesOf = (rows: CanonicalRow[], tx: string) =>
      rows.filter((r) => r.transaction_id === tx).map((r) => r.item_sku);
    const multiLine = day.find((r, i) => day[i + 1]?.transaction_id === r.transaction_id)?.transaction_id as string;
    expect(linesOf(compacted, multiLine)).toStrictEqual(linesOf(shuffled, multiLine));
    expect(compacted.map((r) => r.timestamp_ms)).toStrictEqual(day.map((r) => r.timestamp_ms));
  });

  it('compacts files of one store into fewer bytes than the files themselves', () => {
    const files = storeDays.slice(0, 3).map((rows) => rowsToParquet(rows));
    const separate = files.reduce((n, f) => n + f.length, 0);
    expect(concatParquet(files).length).toBeLessThan(separate);
  });

  it('compresses at COMPACTION_COMPRESSION_LEVEL unless told otherwise, smaller than at the upload path level', () => {
    const files = storeDays.map((rows) => rowsToParquet(rows));
    const compacted = concatParquet(files);
    const fast = concatParquet(files, { compressionLevel: 1 });
    expect(COMPACTION_COMPRESSION_LEVEL).toBeGreaterThan(1);
    expect(compacted.length).toBeLessThan(fast.length);
    expect(parquetToRows(compacted)).toStrictEqual(parquetToRows(fast));
  });

  it('gives a valid empty file for no files and for empty files', () => {
    expect(parquetToRows(concatParquet([]))).toStrictEqual([]);
    expect(parquetToRows(concatParquet([rowsToParquet([]), rowsToParquet([])]))).toStrictEqual([]);
  });
});
