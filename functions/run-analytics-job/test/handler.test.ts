import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { rowsToParquet } from '@tillflow/columnar';
import { type CanonicalRow, processedKey } from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: Platform;

const ROWS: CanonicalRow[] = [1, 2, 3, 4].map((n) => ({
  store_id: '0004',
  business_date: '2025-10-29',
  transaction_id: `TXN-0004-20251029-000${n}`,
  timestamp_ms: Date.parse('2025-10-29T14:30:00Z'),
  utc_offset_minutes: 0,
  item_sku: 'SKU',
  item_name: 'Item',
  quantity: n,
  unit_price_cents: 250,
  line_total_cents: 250 * n,
  discount_cents: 0,
  payment_method: 'debit',
  customer_id: 'C',
}));

async function queued(id: string, operation: string, parameters: Record<string, unknown>) {
  const now = new Date().toISOString();
  await platform.documentClient().send(
    new PutCommand({
      TableName: platform.tables.sales,
      Item: {
        PK: `JOB#${id}`,
        SK: 'JOB',
        job_id: id,
        operation,
        parameters,
        status: 'QUEUED',
        requester: 'test',
        engine: 'duckdb',
        created_at: now,
        updated_at: now,
        expires_at: Math.floor(Date.now() / 1000) + 3600,
      },
    }),
  );
}

async function record(id: string) {
  const out = await platform
    .documentClient()
    .send(new GetCommand({ TableName: platform.tables.sales, Key: { PK: `JOB#${id}`, SK: 'JOB' } }));
  return out.Item;
}

beforeAll(async () => {
  platform = await startTestPlatform({ s3Rules: [] });
  await platform.s3Client().send(
    new PutObjectCommand({
      Bucket: platform.bucket,
      Key: processedKey({ storeId: '0004', date: '2025-10-29' }),
      Body: rowsToParquet(ROWS),
    }),
  );
}, 120_000);
afterAll(() => platform?.stop());

describe('run-analytics-job (its bundle, DuckDB loaded in the execution environment)', () => {
  const id = '11111111-1111-4111-8111-111111111111';

  it('runs the job, stores its rows under jobs/<id>/ and marks it SUCCEEDED', async () => {
    await queued(id, 'store_ranking', { from: '2025-10-29', to: '2025-10-29' });
    const outcome = await platform.invoke('run-analytics-job', { jobId: id });
    expect(outcome).toEqual({
      jobId: id,
      status: 'SUCCEEDED',
      operation: 'store_ranking',
      rowCount: 1,
      cached: false,
      resultKey: `jobs/${id}/result.json`,
    });
    expect(await record(id)).toMatchObject({ status: 'SUCCEEDED', row_count: 1, result_key: `jobs/${id}/result.json` });
  });

  it('answers a repeated run of a finished job with its outcome, computing nothing again', async () => {
    const before = await record(id);
    expect(await platform.invoke('run-analytics-job', { jobId: id })).toMatchObject({
      status: 'SUCCEEDED',
      rowCount: 1,
    });
    expect(await record(id)).toEqual(before);
  });

  it('refuses an event without a job id as the step contract says', async () => {
    await expect(platform.invoke('run-analytics-job', { job: id })).rejects.toThrow(/event.jobId: is missing/);
  });
});
