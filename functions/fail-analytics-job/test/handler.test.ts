import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type Platform, startTestPlatform } from '@tillflow/local';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let platform: Platform;

beforeAll(async () => {
  platform = await startTestPlatform({ s3Rules: [] });
});
afterAll(() => platform?.stop());

async function job(id: string, status: string) {
  const now = new Date().toISOString();
  await platform.documentClient().send(
    new PutCommand({
      TableName: platform.tables.sales,
      Item: {
        PK: `JOB#${id}`,
        SK: 'JOB',
        job_id: id,
        operation: 'hourly_profile',
        parameters: {},
        status,
        requester: 'test',
        engine: 'duckdb',
        created_at: now,
        updated_at: now,
        expires_at: Math.floor(Date.now() / 1000) + 3600,
      },
    }),
  );
}

async function stored(id: string) {
  const out = await platform
    .documentClient()
    .send(new GetCommand({ TableName: platform.tables.sales, Key: { PK: `JOB#${id}`, SK: 'JOB' } }));
  return out.Item;
}

const timeout = { Error: 'States.Timeout', Cause: 'Task timed out after 660.00 seconds' };

describe('fail-analytics-job', () => {
  it('marks a RUNNING job FAILED with the error and the message of its cause', async () => {
    const id = '22222222-2222-4222-8222-222222222222';
    await job(id, 'RUNNING');
    const lambdaCause = JSON.stringify({ errorType: 'TransientError', errorMessage: 'S3 throttled', trace: [] });
    expect(
      await platform.invoke('fail-analytics-job', {
        jobId: id,
        failure: { Error: 'TransientError', Cause: lambdaCause },
      }),
    ).toEqual({
      jobId: id,
      status: 'FAILED',
      error: 'TransientError',
      reason: 'S3 throttled',
      recorded: true,
    });
    expect(await stored(id)).toMatchObject({
      status: 'FAILED',
      error: { name: 'TransientError', message: 'S3 throttled' },
    });
  });

  it('records a Task timeout as the reason', async () => {
    const id = '33333333-3333-4333-8333-333333333333';
    await job(id, 'RUNNING');
    await platform.invoke('fail-analytics-job', { jobId: id, failure: timeout });
    expect((await stored(id))?.error).toEqual({ name: 'States.Timeout', message: timeout.Cause });
  });

  it('leaves a job that has already SUCCEEDED as it is', async () => {
    const id = '44444444-4444-4444-8444-444444444444';
    await job(id, 'SUCCEEDED');
    expect(await platform.invoke('fail-analytics-job', { jobId: id, failure: timeout })).toMatchObject({
      recorded: false,
    });
    expect((await stored(id))?.status).toBe('SUCCEEDED');
  });
});
