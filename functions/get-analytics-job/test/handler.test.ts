import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AnalyticsJobView, ApiError } from '@tillflow/core';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: Platform;

beforeAll(async () => {
  platform = await startTestPlatform({ s3Rules: [] });
});
afterAll(() => platform?.stop());

async function get(id: string) {
  const res = await fetch(`${platform.endpoints.api}/analytics/jobs/${id}`);
  return { status: res.status, body: (await res.json()) as AnalyticsJobView & ApiError };
}

describe('GET /analytics/jobs/{id}', () => {
  it('answers a running job with its status, timestamps and requester, and no result yet', async () => {
    const id = '55555555-5555-4555-8555-555555555555';
    await platform.documentClient().send(
      new PutCommand({
        TableName: platform.tables.sales,
        Item: {
          PK: `JOB#${id}`,
          SK: 'JOB',
          job_id: id,
          operation: 'store_ranking',
          parameters: { from: '2025-10-27', to: '2025-10-28', metric: 'net_sales' },
          status: 'RUNNING',
          requester: 'jwt:analyst@example.com',
          engine: 'duckdb',
          created_at: '2025-11-01T10:00:00.000Z',
          updated_at: '2025-11-01T10:00:01.000Z',
          started_at: '2025-11-01T10:00:01.000Z',
          expires_at: Math.floor(Date.now() / 1000) + 3600,
        },
      }),
    );
    const { status, body } = await get(id);
    expect(status).toBe(200);
    expect(body).toEqual({
      job_id: id,
      operation: 'store_ranking',
      parameters: { from: '2025-10-27', to: '2025-10-28', metric: 'net_sales' },
      status: 'RUNNING',
      requester: 'jwt:analyst@example.com',
      engine: 'duckdb',
      created_at: '2025-11-01T10:00:00.000Z',
      started_at: '2025-11-01T10:00:01.000Z',
    });
  });

  it('is a 404 for an unknown or expired job, and a 400 for a malformed id', async () => {
    expect((await get('00000000-0000-4000-8000-00000000ffff')).status).toBe(404);
    const expired = '66666666-6666-4666-8666-666666666666';
    await platform.documentClient().send(
      new PutCommand({
        TableName: platform.tables.sales,
        Item: { PK: `JOB#${expired}`, SK: 'JOB', job_id: expired, status: 'SUCCEEDED', expires_at: 1 },
      }),
    );
    expect((await get(expired)).status).toBe(404);
    const bad = await get('not-a-job');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/path parameter id/);
  });
});
