import { PutObjectCommand } from '@aws-sdk/client-s3';
import { parquetWasm, rowsToArrowTable, rowsToParquet } from '@tillflow/columnar';
import { type AnalyticsRequest, type CanonicalRow, DEFAULT_EXCLUDED_STATUSES, processedKey } from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { Bool, Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectEngine } from '../src/engines';
import { type ComputeSettings, computeResult, type ResultRow, segmentLabels, validateRequest } from '../src/index';
import * as expected from './expected';
import { datesBetween, type MarketplaceRow, marketplaceRows, storeRows } from './lake-fixture';

let platform: Platform;
let settings: ComputeSettings;
let jobs = 0;

/** Ten days over a week boundary (Mon 2025-10-27) and a month boundary (2025-11-01). */
const DATES = datesBetween('2025-10-25', '2025-11-03');
const partitions = storeRows(DATES);
const allRows = [...partitions.values()].flat();

/** Integrity findings planted in the lake, each in a partition of its own kind. */
const REUSED_ID = 'TXN-0002-20251026-0001';
const firstOf = (key: string) => partitions.get(key)?.[0] as CanonicalRow;
const PLANTED: CanonicalRow[] = [
  // A transaction id of 0002's 2025-10-26 also used by 0002 on 2025-10-27: the same id in two partitions.
  { ...firstOf('2025-10-26/0002'), business_date: '2025-10-27' },
  // An id of store 0003 in store 0001's file: a prefix mismatch.
  { ...firstOf('2025-10-28/0001'), transaction_id: 'TXN-0003-20251028-9999' },
  // A second sale under an existing id of the same file, at another instant: a duplicate within the partition.
  { ...firstOf('2025-10-29/0003'), timestamp_ms: firstOf('2025-10-29/0003').timestamp_ms + 3_600_000 },
];

/** Marketplace rows for December, in their own range (store 9001 stands for the marketplace account). */
const MARKET_DATES = ['2025-12-01', '2025-12-02'];
const market = MARKET_DATES.flatMap((d, i) => marketplaceRows(d, '9001', 30, 100 + i));

function marketplaceParquet(rows: readonly MarketplaceRow[]): Uint8Array {
  const canonical = rowsToArrowTable(rows, rows.length);
  // Plain UTF-8 columns: dictionary ones would clash with the canonical table's dictionary ids.
  const text = (pick: (r: MarketplaceRow) => string) => vectorFromArray(rows.map(pick), new Utf8());
  const extra = new Table({
    status: text((r) => r.status),
    fulfilment: text((r) => r.fulfilment),
    channel: text((r) => r.channel),
    ship_state: text((r) => r.ship_state),
    category: text((r) => r.category),
    b2b: vectorFromArray(
      rows.map((r) => r.b2b),
      new Bool(),
    ),
  });
  const table = canonical.assign(extra);
  const wasm = parquetWasm();
  return wasm.writeParquet(wasm.Table.fromIPCStream(tableToIPC(table, 'stream')));
}

async function put(key: string, body: Uint8Array) {
  await platform.s3Client().send(new PutObjectCommand({ Bucket: platform.bucket, Key: key, Body: body }));
}

async function run(operation: string, parameters: Record<string, unknown>) {
  const request = validateRequest(operation, parameters);
  return computeResult(request, `test-${++jobs}`, settings);
}

async function rowsOf(operation: string, parameters: Record<string, unknown>): Promise<ResultRow[]> {
  const computed = await run(operation, parameters);
  return computed.result?.rows ?? [];
}

beforeAll(async () => {
  platform = await startTestPlatform({ s3Rules: [] });
  // The adapters' SDK clients read the SDK's own variables, as in a function.
  Object.assign(process.env, {
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: platform.env.AWS_ACCESS_KEY_ID ?? 'test',
    AWS_SECRET_ACCESS_KEY: platform.env.AWS_SECRET_ACCESS_KEY ?? 'test',
    AWS_ENDPOINT_URL_S3: platform.endpoints.s3,
    AWS_ENDPOINT_URL_DYNAMODB: platform.endpoints.dynamodb,
  });
  const planted = new Map(partitions);
  for (const row of PLANTED) {
    const key = `${row.business_date}/${row.store_id}`;
    planted.set(key, [...(planted.get(key) ?? []), row]);
  }
  for (const [key, rows] of planted) {
    const [date, storeId] = key.split('/') as [string, string];
    await put(processedKey({ storeId, date }), rowsToParquet(rows));
  }
  for (const date of MARKET_DATES) {
    await put(
      processedKey({ storeId: '9001', date }),
      marketplaceParquet(market.filter((r) => r.business_date === date)),
    );
  }
  settings = {
    bucket: platform.bucket,
    table: platform.tables.sales,
    engine: selectEngine({ BUCKET_NAME: platform.bucket, ANALYTICS_ENGINE: 'duckdb' }),
    cacheTtlSeconds: 3600,
  };
}, 120_000);
afterAll(() => platform?.stop());

/** The planted rows are in the lake too; clean rows are the fixture without them. */
const lakeRows = () => [...allRows, ...PLANTED];

/** Whether two numbers agree to the 12 significant digits the engines keep. */
function close(actual: unknown, wanted: number | null) {
  if (wanted === null) return expect(actual).toBeNull();
  expect(typeof actual).toBe('number');
  expect(Math.abs((actual as number) - wanted)).toBeLessThanOrEqual(Math.abs(wanted) * 1e-11 + 1e-12);
}

describe('DuckDB engine over the lake in the local S3', () => {
  it('revenue_by_period: weekly net sales per store with growth (LAG) and rank (RANK), as computed from the rows', async () => {
    const rows = await rowsOf('revenue_by_period', {
      from: '2025-10-25',
      to: '2025-11-03',
      period: 'week',
      dimension: 'store',
      stores: ['0001', '0002', '0003'],
    });
    const want = expected.revenueByPeriod(lakeRows(), 'week', 'store');
    expect(rows).toHaveLength(want.length);
    for (const w of want) {
      const got = rows.find((r) => r.period_start === w.period_start && r.dimension_value === w.dimension_value);
      expect(got, `${w.period_start} ${w.dimension_value}`).toMatchObject({
        net_sales_cents: w.net_sales_cents,
        gross_sales_cents: w.gross_sales_cents,
        discount_cents: w.discount_cents,
        transactions: w.transactions,
        quantity: w.quantity,
        previous_net_sales_cents: w.previous_net_sales_cents,
        sales_rank: w.sales_rank,
      });
      close(got?.growth, w.growth);
    }
    // Three ISO weeks: 2025-10-20 (Sat, Sun), 2025-10-27 and 2025-11-03 (Mon).
    expect([...new Set(rows.map((r) => r.period_start))]).toEqual(['2025-10-20', '2025-10-27', '2025-11-03']);
  });

  it('revenue_by_period: monthly per product keeps the top N of each month', async () => {
    const rows = await rowsOf('revenue_by_period', {
      from: '2025-10-25',
      to: '2025-11-03',
      period: 'month',
      dimension: 'product',
      top: 3,
    });
    const want = expected
      .revenueByPeriod(lakeRows(), 'month', 'product')
      .filter((w) => w.sales_rank <= 3)
      .sort((a, b) => a.period_start.localeCompare(b.period_start) || a.sales_rank - b.sales_rank);
    expect(rows.map((r) => [r.period_start, r.dimension_value, r.net_sales_cents, r.sales_rank])).toEqual(
      want.map((w) => [w.period_start, w.dimension_value, w.net_sales_cents, w.sales_rank]),
    );
  });

  it('store_ranking: ranks the stores by average basket, with shares of the net sales', async () => {
    const rows = await rowsOf('store_ranking', { from: '2025-10-25', to: '2025-11-03', metric: 'average_basket' });
    const want = expected.storeRanking(lakeRows()).sort((a, b) => b.average_basket_cents - a.average_basket_cents);
    expect(rows.map((r) => r.store_id)).toEqual(want.map((w) => w.store_id));
    want.forEach((w, i) => {
      expect(rows[i]).toMatchObject({
        sales_rank: i + 1,
        net_sales_cents: w.net_sales_cents,
        transactions: w.transactions,
        items: w.items,
        days_reported: w.days_reported,
      });
      close(rows[i]?.average_basket_cents, w.average_basket_cents);
      close(rows[i]?.share_of_net_sales, w.share_of_net_sales);
    });
  });

  it('product_affinity: support, confidence and lift of every pair, strongest lift first', async () => {
    const rows = await rowsOf('product_affinity', {
      from: '2025-10-27',
      to: '2025-10-31',
      stores: ['0001', '0002'],
      min_pair_transactions: 1,
      min_support: 0,
      limit: 1000,
    });
    const inRange = lakeRows().filter(
      (r) => r.business_date >= '2025-10-27' && r.business_date <= '2025-10-31' && r.store_id !== '0003',
    );
    const want = expected.productAffinity(inRange);
    expect(rows).toHaveLength(want.length);
    for (const w of want) {
      const got = rows.find((r) => r.sku_a === w.sku_a && r.sku_b === w.sku_b);
      expect(got).toMatchObject({
        transactions_a: w.transactions_a,
        transactions_b: w.transactions_b,
        pair_transactions: w.pair_transactions,
      });
      close(got?.support, w.support);
      close(got?.confidence_a_to_b, w.confidence_a_to_b);
      close(got?.confidence_b_to_a, w.confidence_b_to_a);
      close(got?.lift, w.lift);
    }
    const lifts = rows.map((r) => r.lift as number);
    expect(lifts).toEqual([...lifts].sort((a, b) => b - a));
  });

  it('product_affinity: min_support and limit cut the pairs', async () => {
    const rows = await rowsOf('product_affinity', {
      from: '2025-10-25',
      to: '2025-11-03',
      min_support: 0.05,
      limit: 5,
    });
    expect(rows.length).toBeLessThanOrEqual(5);
    for (const r of rows) expect(r.support as number).toBeGreaterThanOrEqual(0.05);
  });

  it('customer_analysis: repeat rate, segments and lifetime value per spend segment', async () => {
    const bounds = [5000, 20000];
    const rows = await rowsOf('customer_analysis', {
      from: '2025-10-25',
      to: '2025-11-03',
      segment_bounds_cents: bounds,
    });
    const labels = ['all', ...segmentLabels(bounds)];
    const want = expected
      .customerAnalysis(lakeRows(), bounds)
      .map((w, i) => ({ ...w, segment: labels[i] }))
      .filter((w) => w.customers > 0);
    const all = want[0]?.customers ?? 0;
    expect(want.length).toBeGreaterThan(2);
    expect(rows.map((r) => r.segment)).toEqual(want.map((w) => w.segment));
    want.forEach((w, i) => {
      expect(rows[i]).toMatchObject({
        customers: w.customers,
        repeat_customers: w.repeat_customers,
        transactions: w.transactions,
        net_sales_cents: w.net_sales_cents,
      });
      close(rows[i]?.repeat_rate, w.repeat_customers / w.customers);
      close(rows[i]?.average_lifetime_value_cents, w.net_sales_cents / w.customers);
      close(rows[i]?.share_of_customers, w.customers / all);
    });
  });

  it("hourly_profile: transactions by the store's local hour", async () => {
    const rows = await rowsOf('hourly_profile', { from: '2025-10-25', to: '2025-11-03', stores: ['0003'] });
    const want = expected.hourlyProfile(lakeRows().filter((r) => r.store_id === '0003'));
    expect(rows.map((r) => [r.scope, r.hour, r.transactions, r.net_sales_cents, r.items])).toEqual(
      want.map((w) => ['company', w.hour, w.transactions, w.net_sales_cents, w.items]),
    );
    // The fixture sells from 08:00 to 20:00 local time; store 0003 is UTC-5, so UTC hours would be 13 to 01.
    for (const r of rows) expect(r.hour as number).toBeGreaterThanOrEqual(8);
  });

  it('marketplace_summary: revenue by category without the cancelled and returned orders, counted apart', async () => {
    const rows = await rowsOf('marketplace_summary', { from: '2025-12-01', to: '2025-12-02' });
    const want = expected.marketplaceByCategory(market, DEFAULT_EXCLUDED_STATUSES);
    expect(rows).toHaveLength(want.length);
    for (const w of want) {
      const got = rows.find((r) => r.group_value === w.group_value);
      expect(got).toMatchObject({
        records: w.records,
        active_records: w.active_records,
        excluded_records: w.excluded_records,
        orders: w.orders,
        quantity: w.quantity,
        revenue_cents: w.revenue_cents,
        b2b_revenue_cents: w.b2b_revenue_cents,
      });
      close(got?.average_order_value_cents, w.average_order_value_cents);
      close(got?.share_of_revenue, w.share_of_revenue);
    }
    expect(want.some((w) => w.excluded_records > 0)).toBe(true);
  });

  it('marketplace_summary: store files have no marketplace rows', async () => {
    expect(await rowsOf('marketplace_summary', { from: '2025-10-25', to: '2025-11-03' })).toEqual([]);
  });

  it('data_integrity: lines per partition, and each planted duplicate and prefix mismatch', async () => {
    const rows = await rowsOf('data_integrity', { from: '2025-10-25', to: '2025-11-03' });
    const lines = rows.filter((r) => r.check_name === 'partition_lines');
    expect(lines).toHaveLength(partitions.size);
    for (const [key, list] of partitions) {
      const [date, store] = key.split('/');
      const planted = PLANTED.filter((p) => p.business_date === date && p.store_id === store).length;
      expect(lines.find((r) => r.business_date === date && r.store_id === store)?.lines).toBe(list.length + planted);
    }
    const findings = rows.filter((r) => r.check_name !== 'partition_lines');
    expect(findings.map((r) => [r.check_name, r.transaction_id])).toEqual([
      ['duplicate_across_partitions', REUSED_ID],
      ['duplicate_within_partition', (PLANTED[2] as CanonicalRow).transaction_id],
      ['store_prefix_mismatch', 'TXN-0003-20251028-9999'],
    ]);
    expect(findings[0]).toMatchObject({ partitions: 2, business_date: '2025-10-26', store_id: '0002' });
  });
});

describe('the result cache', () => {
  /** Partitions of their own (January 2026), so that the correction below changes no other test's lake. */
  const CACHE_DATES = ['2026-01-05', '2026-01-06'];
  const cacheRows = storeRows(CACHE_DATES, 21);
  const request = (stores: string[]): AnalyticsRequest =>
    validateRequest('store_ranking', { from: CACHE_DATES[0], to: CACHE_DATES[1], stores });

  beforeAll(async () => {
    for (const [key, rows] of cacheRows) {
      const [date, storeId] = key.split('/') as [string, string];
      await put(processedKey({ storeId, date }), rowsToParquet(rows));
    }
  });

  it('serves an identical request (stores in another order) from the cache, and recomputes after an upload in the range', async () => {
    const first = await computeResult(request(['0002', '0001']), 'cache-1', settings);
    expect(first.cached).toBe(false);
    const again = await computeResult(request(['0001', '0002']), 'cache-2', settings);
    expect(again).toMatchObject({ cached: true, resultKey: first.resultKey, lakeVersion: first.lakeVersion });

    // A correction of 0001's 2026-01-06 lands: one more line of 1000 cents.
    const day = cacheRows.get('2026-01-06/0001') as CanonicalRow[];
    const extra = { ...(day[0] as CanonicalRow), item_sku: 'SKU-EXTRA', line_total_cents: 1000, discount_cents: 0 };
    await put(processedKey({ storeId: '0001', date: '2026-01-06' }), rowsToParquet([...day, extra]));
    const after = await computeResult(request(['0001', '0002']), 'cache-3', settings);
    expect(after.cached).toBe(false);
    expect(after.lakeVersion).not.toBe(first.lakeVersion);
    const before = first.result?.rows.find((r) => r.store_id === '0001')?.net_sales_cents as number;
    expect(after.result?.rows.find((r) => r.store_id === '0001')?.net_sales_cents).toBe(before + 1000);
  });

  it('keys on the parameters: another metric over the same range is computed, then cached in its turn', async () => {
    const other = validateRequest('store_ranking', { from: CACHE_DATES[0], to: CACHE_DATES[0], metric: 'items' });
    const first = await computeResult(other, 'cache-4', settings);
    const second = await computeResult(other, 'cache-5', settings);
    expect([first.cached, second.cached]).toEqual([false, true]);
    expect(second.rowCount).toBe(first.rowCount);
  });
});
