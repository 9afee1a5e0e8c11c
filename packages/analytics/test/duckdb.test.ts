import { PutObjectCommand } from '@aws-sdk/client-s3';
import { CANONICAL_COLUMNS, MARKETPLACE_FIELDS, marketplaceRowsToParquet, rowsToParquet } from '@tillflow/columnar';
import {
  type AnalyticsRequest,
  type CanonicalRow,
  type MarketplaceRow,
  marketplaceProcessedKey,
  processedKey,
} from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duckDbEngine, MARKETPLACE_TABLE_DDL, SALES_TABLE_DDL, selectEngine } from '../src/engines';
import {
  type ComputeSettings,
  computeResult,
  type ResultColumn,
  type ResultRow,
  segmentLabels,
  validateRequest,
} from '../src/index';
import * as expected from './expected';
import { datesBetween, marketplaceRows, storeRows } from './lake-fixture';

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

/** Marketplace order lines of two channels over two dates, in the marketplace lake (a table of its own). */
const MARKET_DATES = ['2025-10-27', '2025-10-28'];
const MARKET = {
  amazon: MARKET_DATES.flatMap((d, i) => marketplaceRows(d, 30, 100 + i)),
  shop: MARKET_DATES.flatMap((d, i) => marketplaceRows(d, 12, 200 + i)),
};

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
  for (const [channel, rows] of Object.entries(MARKET)) {
    for (const date of MARKET_DATES) {
      await put(
        marketplaceProcessedKey({ channel, name: 'report' }, date),
        marketplaceRowsToParquet(
          channel,
          rows.filter((r) => r.business_date === date),
        ),
      );
    }
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

  const withChannel = (channel: string, rows: MarketplaceRow[]) => rows.map((r) => ({ ...r, channel }));
  const marketRows = [...withChannel('amazon', MARKET.amazon), ...withChannel('shop', MARKET.shop)];

  function expectSummary(rows: ResultRow[], want: ReturnType<typeof expected.marketplaceSummary>) {
    expect(rows).toHaveLength(want.length);
    for (const w of want) {
      const got = rows.find((r) => r.group_value === w.group_value);
      expect(got, String(w.group_value)).toMatchObject({
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
    const revenue = rows.map((r) => r.revenue_cents as number);
    expect(revenue).toEqual([...revenue].sort((a, b) => b - a));
  }

  it('marketplace_summary: reads the marketplace lake; by category, the unsold status classes counted apart', async () => {
    const rows = await rowsOf('marketplace_summary', { from: '2025-10-27', to: '2025-10-28' });
    const want = expected.marketplaceSummary(marketRows, (r) => r.category);
    expectSummary(rows, want);
    expect(want.some((w) => w.excluded_records > 0)).toBe(true);
  });

  it('marketplace_summary: by ship state (upper-cased), channel, B2B, fulfilment, month and status', async () => {
    const groups: [string, (r: MarketplaceRow & { channel: string }) => string | null][] = [
      ['ship_state', (r) => r.ship_state?.toUpperCase() ?? null],
      ['channel', (r) => r.channel],
      ['b2b', (r) => (r.b2b ? 'B2B' : 'B2C')],
      ['fulfilment', (r) => r.fulfilment],
      ['month', (r) => r.business_date.slice(0, 7)],
      ['status', (r) => r.status],
    ];
    for (const [group_by, key] of groups) {
      const rows = await rowsOf('marketplace_summary', { from: '2025-10-27', to: '2025-10-28', group_by });
      expectSummary(rows, expected.marketplaceSummary(marketRows, key));
    }
  });

  it('marketplace_summary: of one channel and one day, with the unsold statuses named', async () => {
    const excluded = ['cancelled', 'Shipped - Returned to Seller'];
    const rows = await rowsOf('marketplace_summary', {
      from: '2025-10-28',
      to: '2025-10-28',
      channels: ['shop'],
      excluded_statuses: excluded,
    });
    const inRange = withChannel('shop', MARKET.shop).filter((r) => r.business_date === '2025-10-28');
    expectSummary(
      rows,
      expected.marketplaceSummary(inRange, (r) => r.category, excluded),
    );
  });

  it('marketplace_summary: a range without marketplace lines has no rows, and the store lake is not read', async () => {
    expect(await rowsOf('marketplace_summary', { from: '2025-10-25', to: '2025-10-26' })).toEqual([]);
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

describe('the DuckDB engine reads every column packages/columnar writes', () => {
  /** The engine over files held in memory: what it loads is what packages/columnar wrote, byte for byte. */
  function engineOver(files: Map<string, Uint8Array>) {
    return duckDbEngine({ fetch: async (key) => files.get(key) as Uint8Array });
  }
  const lakeFiles = (files: Map<string, Uint8Array>) =>
    [...files.keys()].map((key) => ({ key, date: '', store: '', etag: '', size: 0 }));
  const columnsOf = (ddl: string) => [...ddl.matchAll(/(\w+) (VARCHAR|TIMESTAMPTZ|SMALLINT|INTEGER|BIGINT|BOOLEAN)/g)];

  it('sales: every canonical column, discount_cents included, as the rows were written', async () => {
    expect(columnsOf(SALES_TABLE_DDL).map((m) => m[1])).toEqual([...CANONICAL_COLUMNS]);
    const days = [...partitions.entries()].slice(0, 3);
    const files = new Map(days.map(([key, rows]) => [key, rowsToParquet(rows)]));
    const rows = days.flatMap(([, list]) => list);
    expect(rows.some((r) => r.discount_cents > 0)).toBe(true);
    const columns: ResultColumn[] = CANONICAL_COLUMNS.map((name) => ({
      name,
      kind:
        ['quantity', 'utc_offset_minutes', 'timestamp_ms'].includes(name) || name.endsWith('_cents')
          ? 'integer'
          : 'text',
    }));
    const select = CANONICAL_COLUMNS.map((c) => (c === 'timestamp_ms' ? 'epoch_ms(timestamp_ms) AS timestamp_ms' : c));
    const result = await engineOver(files).run({
      query: { sql: `SELECT ${select.join(', ')} FROM sales`, params: [] },
      table: 'sales',
      columns,
      files: lakeFiles(files),
    });
    const order = (list: Record<string, unknown>[]) =>
      [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(order(result.rows)).toEqual(order(rows.map((r) => ({ ...r }))));
  });

  it('marketplace: every column of the marketplace lake, nulls kept', async () => {
    expect(columnsOf(MARKETPLACE_TABLE_DDL).map((m) => m[1])).toEqual(MARKETPLACE_FIELDS.map(([name]) => name));
    const rows = MARKET.amazon.filter((r) => r.business_date === MARKET_DATES[0]);
    const files = new Map([['m', marketplaceRowsToParquet('amazon', rows)]]);
    const columns: ResultColumn[] = MARKETPLACE_FIELDS.map(([name]) => ({
      name,
      kind: name === 'b2b' ? 'boolean' : name === 'quantity' || name === 'amount_cents' ? 'integer' : 'text',
    }));
    const result = await engineOver(files).run({
      query: { sql: 'SELECT * FROM marketplace', params: [] },
      table: 'marketplace',
      columns,
      files: lakeFiles(files),
    });
    expect(result.rows.some((r) => r.amount_cents === null)).toBe(true);
    const order = (list: Record<string, unknown>[]) =>
      [...list].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(order(result.rows)).toEqual(order(rows.map((r) => ({ channel: 'amazon', ...r }))));
  });
});
