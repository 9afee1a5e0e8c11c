import { queryAnalysedDates, queryLastReportedDate, queryStoreIndex } from '@tillflow/aws';
import type { DatesResponse, StoreEntry, StoresResponse } from '@tillflow/core';

/**
 * The stores: those of the store index (every store that has uploaded figures) and the expected ones, ascending. An
 * expected store the index does not hold yet is looked up in its own partition (one Query of one item), so figures
 * written before the index existed still count.
 */
export async function listStores(table: string, expected: readonly string[]): Promise<StoresResponse> {
  const indexed = await queryStoreIndex(table);
  const byId = new Map(indexed.map((s) => [s.store_id, s]));
  const unindexed = expected.filter((id) => !byId.has(id));
  const looked = await Promise.all(unindexed.map(async (id) => [id, await queryLastReportedDate(table, id)] as const));
  const expectedSet = new Set(expected);
  const stores: StoreEntry[] = [
    ...indexed.map((s) => ({
      store_id: s.store_id,
      name: s.name,
      expected: expectedSet.has(s.store_id),
      last_reported_date: s.last_reported_date,
    })),
    ...looked.map(([id, last]) => ({ store_id: id, name: null, expected: true, last_reported_date: last ?? null })),
  ];
  return { stores: stores.sort((a, b) => (a.store_id < b.store_id ? -1 : 1)) };
}

/** Every analysed day, newest first (one Query of the company partition). */
export async function listDates(table: string): Promise<DatesResponse> {
  const dates = await queryAnalysedDates(table);
  return { dates, latest: dates[0]?.date ?? null };
}
