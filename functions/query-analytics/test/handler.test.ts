import { PutObjectCommand } from '@aws-sdk/client-s3';
import { rowsToParquet } from '@tillflow/columnar';
import {
  type AnalyticsJobAccepted,
  type AnalyticsJobView,
  type ApiError,
  type CanonicalRow,
  processedKey,
} from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

type Answer = AnalyticsJobView &
  AnalyticsJobAccepted &
  ApiError & { result: NonNullable<AnalyticsJobView['result']>; result_url: string };

/** One store-day of `transactions` one-line transactions, each of its own product, so that the rows are easy to count. */
function day(storeId: string, date: string, transactions: number): CanonicalRow[] {
  return Array.from({ length: transactions }, (_, n) => ({
    store_id: storeId,
    business_date: date,
    transaction_id: `TXN-${storeId}-${date.replaceAll('-', '')}-${String(n + 1).padStart(4, '0')}`,
    timestamp_ms: Date.parse(`${date}T09:00:00Z`) + n * 1000,
    utc_offset_minutes: 0,
    item_sku: `SKU-${String(n).padStart(4, '0')}`,
    item_name: `Product ${n}`,
    quantity: 1,
    unit_price_cents: 100 + n,
    line_total_cents: 100 + n,
    discount_cents: 0,
    payment_method: 'credit',
    customer_id: `C-${n}`,
  }));
}

async function startWith(env: Record<string, string>, lake: CanonicalRow[][]): Promise<Platform> {
  const platform = await startTestPlatform({ s3Rules: [], env });
  for (const rows of lake) {
    const first = rows[0] as CanonicalRow;
    await platform.s3Client().send(
      new PutObjectCommand({
        Bucket: platform.bucket,
        Key: processedKey({ storeId: first.store_id, date: first.business_date }),
        Body: rowsToParquet(rows),
      }),
    );
  }
  return platform;
}

async function get(platform: Platform, path: string) {
  const res = await fetch(`${platform.endpoints.api}${path}`);
  return { status: res.status, body: (await res.json()) as Answer };
}

describe('GET /analytics/query within its budget', () => {
  let platform: Platform;
  // 1,200 products sold on one day: revenue_by_period by product has 1,200 rows, more than a response inlines.
  const big = day('0001', '2025-10-27', 1200);
  const small = day('0002', '2025-10-27', 3);

  beforeAll(async () => {
    // The longest budget, so that a loaded machine's first workflow (a cold DuckDB load) still fits in it.
    platform = await startWith({ ANALYTICS_QUERY_BUDGET_MS: '25000' }, [big, small]);
  }, 120_000);
  afterAll(() => platform?.stop());

  it('answers 200 with the rows inline and records the job', async () => {
    const { status, body } = await get(
      platform,
      '/analytics/query?operation=store_ranking&from=2025-10-27&to=2025-10-27&stores=0002',
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'SUCCEEDED', operation: 'store_ranking', row_count: 1 });
    expect(body.result.rows[0]).toMatchObject({
      store_id: '0002',
      transactions: 3,
      net_sales_cents: small.reduce((s, r) => s + r.line_total_cents, 0),
    });
    const again = await get(platform, `/analytics/jobs/${body.job_id}`);
    expect(again.body).toMatchObject({ job_id: body.job_id, status: 'SUCCEEDED', result: body.result });
    // The job's workflow computed it (DuckDB is in run-analytics-job only), and the query waited for the job's end;
    // the workflow's notification and email steps may still be running then.
    await platform.waitForIdle();
    const runs = platform.executions({ machine: 'analytics-job' }).filter((e) => e.name === body.job_id);
    expect(runs.map((e) => e.status)).toEqual(['SUCCEEDED']);
  });

  it('answers an identical request from the cache at once, as a job of its own, without a workflow', async () => {
    const path = '/analytics/query?operation=store_ranking&from=2025-10-27&to=2025-10-27&stores=0002&metric=items';
    const first = await get(platform, path);
    expect(first.body).toMatchObject({ status: 'SUCCEEDED', cached: false });
    const executions = platform.executions({ machine: 'analytics-job' }).length;
    const second = await get(platform, path);
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ status: 'SUCCEEDED', cached: true, result: first.body.result });
    expect(second.body.job_id).not.toBe(first.body.job_id);
    expect(platform.executions({ machine: 'analytics-job' })).toHaveLength(executions);
    expect((await get(platform, `/analytics/jobs/${second.body.job_id}`)).body).toMatchObject({ cached: true });
  });

  it('gives a result of more than 1,000 rows as a presigned link to jobs/<id>/result.json', async () => {
    const { status, body } = await get(
      platform,
      '/analytics/query?operation=revenue_by_period&from=2025-10-27&to=2025-10-27&dimension=product&stores=0001',
    );
    expect(status).toBe(200);
    expect(body.row_count).toBe(1200);
    expect(body.result).toBeUndefined();
    const url = new URL(body.result_url);
    expect(url.pathname).toBe(`/${platform.bucket}/jobs/${body.job_id}/result.json`);
    const stored = (await (await fetch(body.result_url)).json()) as {
      rows: { dimension_value: string; net_sales_cents: number }[];
    };
    expect(stored.rows).toHaveLength(1200);
    expect(stored.rows.find((r) => r.dimension_value === 'SKU-0007')?.net_sales_cents).toBe(107);
  });

  it('answers 200 with a job that failed, its reason given, when the run fails within the budget', async () => {
    // A partition that is not Parquet: DuckDB refuses it, the workflow's Catch records FAILED.
    await platform.s3Client().send(
      new PutObjectCommand({
        Bucket: platform.bucket,
        Key: processedKey({ storeId: '0009', date: '2025-10-29' }),
        Body: 'not a parquet file',
      }),
    );
    const { status, body } = await get(
      platform,
      '/analytics/query?operation=store_ranking&from=2025-10-29&to=2025-10-29',
    );
    expect(status).toBe(200);
    expect(body.status).toBe('FAILED');
    expect(body.error.message).toMatch(/parquet/i);
    expect(body.result).toBeUndefined();
  });

  it.each([
    ['no operation', '/analytics/query?from=2025-10-27&to=2025-10-27', /query parameter operation is required/],
    [
      'an unknown operation',
      '/analytics/query?operation=everything&from=2025-10-27&to=2025-10-27',
      /operation must be one of/,
    ],
    [
      'a parameter no operation has',
      '/analytics/query?operation=store_ranking&from=2025-10-27&to=2025-10-27&sql=1',
      /unknown query parameter sql/,
    ],
    [
      'a parameter of another operation',
      '/analytics/query?operation=store_ranking&from=2025-10-27&to=2025-10-27&period=day',
      /parameters.period: is not a parameter of store_ranking/,
    ],
    [
      'a number that is not one',
      '/analytics/query?operation=product_affinity&from=2025-10-27&to=2025-10-27&limit=ten',
      /parameters.limit/,
    ],
  ])('refuses %s with a 400', async (_what, path, message) => {
    const { status, body } = await get(platform, path);
    expect(status).toBe(400);
    expect(body.error.message).toMatch(message);
  });
});

describe('GET /analytics/query over its budget', () => {
  let platform: Platform;

  beforeAll(async () => {
    // Any partition is more than the synchronous limit: every query goes to a job.
    platform = await startWith({ ANALYTICS_SYNC_MAX_BYTES: '0' }, [day('0003', '2025-10-28', 5)]);
  }, 120_000);
  afterAll(() => platform?.stop());

  it('answers 202 with the job, which the workflow then completes', async () => {
    const { status, body } = await get(
      platform,
      '/analytics/query?operation=hourly_profile&from=2025-10-28&to=2025-10-28',
    );
    expect(status).toBe(202);
    expect(body).toMatchObject({
      status: 'QUEUED',
      operation: 'hourly_profile',
      links: { self: `/analytics/jobs/${body.job_id}` },
    });
    await platform.waitForIdle();
    const done = await get(platform, body.links.self);
    expect(done.body).toMatchObject({ status: 'SUCCEEDED', row_count: 1 });
    expect(done.body.result.rows).toEqual([
      { scope: 'company', hour: 9, transactions: 5, net_sales_cents: 510, items: 5, share_of_transactions: 1 },
    ]);
  });
});

describe('GET /analytics/query that runs out of time', () => {
  let platform: Platform;
  const dates = Array.from({ length: 30 }, (_, i) => `2025-09-${String(i + 1).padStart(2, '0')}`);

  beforeAll(async () => {
    // 100 ms: less than the job's workflow takes to load DuckDB and 30 partitions.
    platform = await startWith(
      { ANALYTICS_QUERY_BUDGET_MS: '100' },
      dates.map((d) => day('0005', d, 50)),
    );
  }, 120_000);
  afterAll(() => platform?.stop());

  it('stops at the budget and hands the same job to the workflow, which completes it', async () => {
    const { status, body } = await get(
      platform,
      '/analytics/query?operation=store_ranking&from=2025-09-01&to=2025-09-30',
    );
    expect(status).toBe(202);
    await platform.waitForIdle();
    const done = await get(platform, body.links.self);
    expect(done.body).toMatchObject({ status: 'SUCCEEDED', row_count: 1 });
    expect(done.body.result.rows[0]).toMatchObject({ store_id: '0005', transactions: 1500, days_reported: 30 });
    expect(platform.executions({ machine: 'analytics-job' }).map((e) => e.name)).toEqual([body.job_id]);
  });
});
