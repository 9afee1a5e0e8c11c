import {
  daySeries,
  type FactsRef,
  getObject,
  putDayLakeQuality,
  putJson,
  putProductMetrics,
  queryProductHistory,
  readFacts,
} from '@tillflow/aws';
import { parquetToRows } from '@tillflow/columnar';
import {
  type CanonicalRow,
  CrossStoreAccumulator,
  ProductDayAccumulator,
  type ProductDayFigures,
  processedKey,
} from '@tillflow/core';

/** Days of product figures before the date that the trends compare (two weeks, the date included). */
export const PRODUCT_HISTORY_DAYS = 13;

export interface ProductMetricsResult {
  factsKey: string;
  total_products: number;
  units: number;
  net_sales: number;
  /** Parquet files read: one per store that reported. */
  files: number;
  /** False when a later revision of the day's analysis had already written its product figures. */
  written: boolean;
  historyCount: number;
  /** Transaction ids found in more than one store's file of the day (the data-quality finding, `DAY#<date> / QUALITY`). */
  cross_store_duplicates: number;
}

/**
 * The day's products over every row of every store, one store's rows at a time so that memory holds one store-day
 * and the per-SKU totals, never the whole day. `readRows` gives a store's rows of the date.
 */
export async function accumulateProducts(
  date: string,
  storeIds: readonly string[],
  readRows: (storeId: string) => Promise<Iterable<CanonicalRow>>,
): Promise<ProductDayFigures> {
  const products = new ProductDayAccumulator(date);
  for (const storeId of storeIds) products.addRows(await readRows(storeId));
  return products.finish();
}

/**
 * The product figures of the date from the Parquet of every store in the facts document (the stores whose summaries
 * the company figures sum, so that both describe the same stores), stored under `PRODUCTS` / `DATE#<date>` and added
 * to the facts document with the earlier days' figures. The same read of the day's rows feeds the data-quality check
 * across files (transaction ids in more than one store's file, CrossStoreAccumulator), stored under
 * `DAY#<date> / QUALITY`: this is the one step that reads every row of the day, so the check costs no read of its own.
 */
export async function calcProductMetrics(
  table: string,
  bucket: string,
  event: FactsRef,
): Promise<ProductMetricsResult> {
  const [facts, history] = await Promise.all([
    readFacts(bucket, event),
    queryProductHistory(table, event.date, PRODUCT_HISTORY_DAYS),
  ]);
  const storeIds = facts.stores.map((s) => s.store_id);
  const crossStore = new CrossStoreAccumulator();
  const today = await accumulateProducts(event.date, storeIds, async (storeId) => {
    const { body } = await getObject(bucket, processedKey({ storeId, date: event.date }));
    const rows = parquetToRows(body);
    crossStore.addStore(storeId, transactionIds(rows));
    return rows;
  });
  const lake = crossStore.finish(event.date, event.revision, new Date().toISOString());
  // Days never analysed have no stored figures: the trends skip them.
  const [written] = await Promise.all([
    putProductMetrics(table, today, event.revision),
    putJson(bucket, event.factsKey, { ...facts, products: daySeries(history, today) }),
    putDayLakeQuality(table, lake),
  ]);
  return {
    factsKey: event.factsKey,
    total_products: today.total_products,
    units: today.units,
    net_sales: today.net_sales,
    files: storeIds.length,
    written,
    historyCount: history.length,
    cross_store_duplicates: lake.cross_store_duplicates.transactions,
  };
}

function* transactionIds(rows: Iterable<CanonicalRow>): Iterable<string> {
  for (const row of rows) yield row.transaction_id;
}
