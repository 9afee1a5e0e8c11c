import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
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

let platform: Platform;

/** Two stores over two days; every figure below is computed from these rows. */
function rows(storeId: string, date: string, transactions: number, cents: number): CanonicalRow[] {
  return Array.from({ length: transactions }, (_, n) => ({
    store_id: storeId,
    business_date: date,
    transaction_id: `TXN-${storeId}-${date.replaceAll('-', '')}-${String(n + 1).padStart(4, '0')}`,
    timestamp_ms: Date.parse(`${date}T10:00:00Z`) + n * 60_000,
    utc_offset_minutes: 0,
    item_sku: `SKU-${n % 3}`,
    item_name: `Item ${n % 3}`,
    quantity: 1 + (n % 2),
    unit_price_cents: cents,
    line_total_cents: cents * (1 + (n % 2)),
    discount_cents: n % 4 === 0 ? 10 : 0,
    payment_method: 'cash',
    customer_id: `C-${n % 5}`,
  }));
}
const LAKE = [
  rows('0001', '2025-10-27', 6, 500),
  rows('0002', '2025-10-27', 4, 900),
  rows('0001', '2025-10-28', 5, 300),
];

/** What the routes answer: a job, its acceptance, or an error (each test reads the fields it expects). */
type Answer = AnalyticsJobView & AnalyticsJobAccepted & ApiError & { result: NonNullable<AnalyticsJobView['result']> };

const net = (list: CanonicalRow[]) => list.reduce((s, r) => s + r.line_total_cents - r.discount_cents, 0);

beforeAll(async () => {
  platform = await startTestPlatform({ s3Rules: [] });
  for (const list of LAKE) {
    const first = list[0] as CanonicalRow;
    await platform.s3Client().send(
      new PutObjectCommand({
        Bucket: platform.bucket,
        Key: processedKey({ storeId: first.store_id, date: first.business_date }),
        Body: rowsToParquet(list),
      }),
    );
  }
}, 120_000);
afterAll(() => platform?.stop());

async function post(body: string) {
  const res = await fetch(`${platform.endpoints.api}/analytics/jobs`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: res.status, location: res.headers.get('location'), body: (await res.json()) as Answer };
}

async function job(id: string) {
  const res = await fetch(`${platform.endpoints.api}/analytics/jobs/${id}`);
  return { status: res.status, body: (await res.json()) as Answer };
}

async function finished(id: string) {
  await platform.waitForIdle();
  return job(id);
}

describe('POST /analytics/jobs', () => {
  it('records the job, runs the workflow, and GET answers SUCCEEDED with the figures inline', async () => {
    const started = await post(
      JSON.stringify({ operation: 'store_ranking', parameters: { from: '2025-10-27', to: '2025-10-28' } }),
    );
    expect(started.status).toBe(202);
    const id = started.body.job_id as string;
    expect(started.body).toMatchObject({
      status: 'QUEUED',
      operation: 'store_ranking',
      links: { self: `/analytics/jobs/${id}` },
    });
    expect(started.location).toBe(`/analytics/jobs/${id}`);

    const record = await platform
      .documentClient()
      .send(new GetCommand({ TableName: platform.tables.sales, Key: { PK: `JOB#${id}`, SK: 'JOB' } }));
    expect(record.Item).toMatchObject({ job_id: id, requester: 'anonymous', engine: 'duckdb' });
    expect(record.Item?.expires_at).toBeGreaterThan(Date.now() / 1000 + 29 * 86400);

    const { status, body } = await finished(id);
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'SUCCEEDED', cached: false, row_count: 2 });
    expect(Date.parse(body.finished_at ?? '')).toBeGreaterThanOrEqual(Date.parse(body.started_at ?? ''));
    const store1 = [...(LAKE[0] as CanonicalRow[]), ...(LAKE[2] as CanonicalRow[])];
    const store2 = LAKE[1] as CanonicalRow[];
    expect(body.result.rows.map((r) => [r.store_id, r.net_sales_cents, r.transactions])).toEqual(
      [
        ['0001', net(store1), 11],
        ['0002', net(store2), 4],
      ].sort((a, b) => (b[1] as number) - (a[1] as number)),
    );

    const execution = platform.executions({ machine: 'analytics-job' }).find((e) => e.name === id);
    expect(execution?.status).toBe('SUCCEEDED');
    const notices = platform.messages('tillflow-analytics-jobs').filter((m) => m.message.includes(id));
    expect(notices).toHaveLength(1);
    expect(JSON.parse(notices[0]?.message ?? '{}')).toMatchObject({ jobId: id, status: 'SUCCEEDED', rowCount: 2 });
  });

  it('answers an identical request from the cache, with the same figures', async () => {
    const body = JSON.stringify({ operation: 'hourly_profile', parameters: { from: '2025-10-27', to: '2025-10-27' } });
    const first = await finished((await post(body)).body.job_id);
    const second = await finished((await post(body)).body.job_id);
    expect([first.body.cached, second.body.cached]).toEqual([false, true]);
    expect(second.body.result).toEqual(first.body.result);
    expect(first.body.result.rows.reduce((s, r) => s + Number(r.transactions), 0)).toBe(10);
  });

  it.each([
    ['a body that is not JSON', 'operation=x', /not valid JSON/],
    ['an operation not in the list', '{"operation":"drop_everything","parameters":{}}', /operation: expected one of/],
    ['an unknown field', '{"operation":"store_ranking","sql":"SELECT 1"}', /unknown field sql/],
    [
      'a parameter of no such name',
      '{"operation":"store_ranking","parameters":{"from":"2025-10-27","to":"2025-10-28","order":"1; DROP"}}',
      /parameters.order: is not a parameter of store_ranking/,
    ],
    [
      'a range backwards',
      '{"operation":"hourly_profile","parameters":{"from":"2025-10-28","to":"2025-10-27"}}',
      /is after to/,
    ],
  ])('refuses %s with a 400 and the reason, and records nothing', async (_what, body, message) => {
    const before = platform.executions({ machine: 'analytics-job' }).length;
    const res = await post(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_ERROR');
    expect(res.body.error.message).toMatch(message);
    expect(platform.executions({ machine: 'analytics-job' })).toHaveLength(before);
  });
});

describe('a job that fails', () => {
  it('ends FAILED with the reason and a notification, never RUNNING', async () => {
    // A record whose parameters no longer validate (written by hand): the run step refuses it.
    const id = '00000000-0000-4000-8000-000000000001';
    const now = new Date().toISOString();
    await platform.documentClient().send(
      new PutCommand({
        TableName: platform.tables.sales,
        Item: {
          PK: `JOB#${id}`,
          SK: 'JOB',
          job_id: id,
          operation: 'store_ranking',
          parameters: { from: '2025-10-27', to: '2025-13-01' },
          status: 'QUEUED',
          requester: 'test',
          engine: 'duckdb',
          created_at: now,
          updated_at: now,
          expires_at: Math.floor(Date.now() / 1000) + 3600,
        },
      }),
    );
    platform.startExecution('analytics-job', { jobId: id }, id);
    const { body } = await finished(id);
    expect(body.status).toBe('FAILED');
    expect(body.error).toEqual({
      name: 'ValidationError',
      message: 'parameters.to: 2025-13-01 is not a calendar date',
    });
    expect(platform.executions({ machine: 'analytics-job' }).find((e) => e.name === id)?.status).toBe('FAILED');
    const notice = platform.messages('tillflow-analytics-jobs').find((m) => m.message.includes(id));
    expect(JSON.parse(notice?.message ?? '{}')).toMatchObject({
      jobId: id,
      status: 'FAILED',
      error: 'ValidationError',
    });
  });
});
