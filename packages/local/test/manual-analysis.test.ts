import { HeadObjectCommand } from '@aws-sdk/client-s3';
import { DescribeExecutionCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSampleData, type SampleFile, serializeStoreFile } from '../../../scripts/sample-data';
import { type Platform, startTestPlatform } from '../src';
import {
  analysisRuns,
  getItem,
  putStoreFile,
  reportsOf,
  STORES,
  sampleFile,
  seedAnalysedDays,
} from './analysis-helpers';

/**
 * The runbook's manual trigger on the local platform: daily-analysis started through the Step Functions API with
 * `{"date": …}` alone, as `aws stepfunctions start-execution` does (no name), and runs of a day and revision whose
 * outputs were already published. Each describe works on its own business date.
 */
let platform: Platform;

beforeAll(async () => {
  platform = await startTestPlatform();
}, 60_000);

afterAll(() => platform?.stop());

const stateMachineArn = 'arn:aws:states:us-east-1:000000000000:stateMachine:tillflow-daily-analysis';

/** Starts daily-analysis with `input` and no name, as the AWS CLI would, and waits for the platform to settle. */
async function startByHand(input: unknown) {
  const { executionArn } = await platform
    .sfnClient()
    .send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
  await platform.waitForIdle();
  return platform.sfnClient().send(new DescribeExecutionCommand({ executionArn }));
}

const outputOf = (run: { output?: string }) => JSON.parse(run.output ?? 'null') as Record<string, unknown>;

async function lastModified(key: string): Promise<number> {
  const head = await platform.s3Client().send(new HeadObjectCommand({ Bucket: platform.bucket, Key: key }));
  return head.LastModified?.getTime() ?? 0;
}

async function insightsCount(date: string): Promise<number> {
  const item = (await getItem(platform, 'INSIGHTS', `DATE#${date}`)) as
    | { anomalies: unknown[]; trends: unknown[]; recommendations: unknown[] }
    | undefined;
  return item ? item.anomalies.length + item.trends.length + item.recommendations.length : 0;
}

const storeSummariesKey = (date: string) => `quicksight/store_summaries/date=${date}/store_summaries.ndjson`;

describe('a manual start with only the date', () => {
  const date = '2025-10-29';

  beforeAll(async () => {
    await Promise.all(STORES.map((s) => putStoreFile(platform, s, date, sampleFile(s, date))));
    await platform.waitForIdle();
  }, 120_000);

  it('analyses the day at its current revision and publishes nothing again on an already reported day', async () => {
    expect(reportsOf(platform, date)).toHaveLength(1);
    const run = await startByHand({ date });
    expect(run.status).toBe('SUCCEEDED');
    expect(outputOf(run)).toMatchObject({
      date,
      revision: 1,
      reason: 'manual',
      stores: 11,
      report_status: 'skipped',
      exports_status: 'skipped',
    });
    expect(reportsOf(platform, date)).toHaveLength(1);
  }, 60_000);

  it('publishes one report, one export and the same insights when the same input is started twice', async () => {
    const exportedAt = await lastModified(storeSummariesKey(date));
    const insights = await insightsCount(date);
    for (let i = 0; i < 2; i++) expect((await startByHand({ date })).status).toBe('SUCCEEDED');
    expect(reportsOf(platform, date)).toHaveLength(1);
    expect(await lastModified(storeSummariesKey(date))).toBe(exportedAt);
    expect(await insightsCount(date)).toBe(insights);
    expect(await getItem(platform, 'INSIGHTS', `DATE#${date}`)).toMatchObject({ analysis_revision: 1 });
    expect(platform.messages('tillflow-alerts')).toEqual([]);
  }, 60_000);

  it("publishes nothing again for the claimed execution's own input, started under another name", async () => {
    platform.startExecution(
      'daily-analysis',
      { date, revision: 1, reason: 'all-stores-reported' },
      `${date}-r1-redrive1`,
    );
    await platform.waitForIdle();
    expect(
      analysisRuns(platform, date)
        .map((r) => r.status)
        .every((s) => s === 'SUCCEEDED'),
    ).toBe(true);
    expect(reportsOf(platform, date)).toHaveLength(1);
  }, 60_000);

  it("refuses a revision ahead of the day's, which would mark an unasked revision as published", async () => {
    const run = await startByHand({ date, revision: 5 });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('DailyAnalysisFailed');
    expect(platform.messages('tillflow-alerts').at(-1)?.message).toContain(
      `revision 5 of ${date} is ahead of the day's current revision 1`,
    );
    expect(reportsOf(platform, date)).toHaveLength(1);
  }, 60_000);
});

describe('a corrected upload after manual re-runs', () => {
  const start = '2025-11-03';
  const date = '2025-11-30';
  let day: SampleFile[];

  beforeAll(async () => {
    // Four weeks of history, so that the day has anomalies, trends and recommendations to count.
    const files = [...generateSampleData({ stores: 11, days: 28, start, seed: 11 })];
    await seedAnalysedDays(
      platform,
      files.filter((f) => f.date < date),
    );
    day = files.filter((f) => f.date === date);
    await Promise.all(day.map((f) => putStoreFile(platform, f.storeId, date, serializeStoreFile(f.records))));
    await platform.waitForIdle();
  }, 120_000);

  it('keeps one report and the same insights when revision 1 is started again by hand', async () => {
    const insights = await insightsCount(date);
    expect(insights).toBeGreaterThan(0);
    expect(outputOf(await startByHand({ date }))).toMatchObject({ revision: 1, report_status: 'skipped' });
    expect(reportsOf(platform, date)).toHaveLength(1);
    expect(await insightsCount(date)).toBe(insights);
  }, 60_000);

  it('publishes exactly one more report, for revision 2, and a re-run of revision 2 publishes nothing', async () => {
    expect(reportsOf(platform, date)).toHaveLength(1);
    const store = day.find((f) => f.storeId === '0004') as SampleFile;
    await putStoreFile(platform, '0004', date, serializeStoreFile(store.records.slice(0, -3)));
    await platform.waitForIdle();
    expect(analysisRuns(platform, date).at(-1)).toMatchObject({ name: `${date}-r2`, status: 'SUCCEEDED' });
    const reports = reportsOf(platform, date);
    expect(reports).toHaveLength(2);
    expect(reports[1]?.message).toContain('Analysis revision 2;');

    const again = await startByHand({ date });
    expect(outputOf(again)).toMatchObject({ revision: 2, report_status: 'skipped' });
    expect(reportsOf(platform, date)).toHaveLength(2);
    expect(await getItem(platform, 'INSIGHTS', `DATE#${date}`)).toMatchObject({ analysis_revision: 2 });
  }, 120_000);
});

describe('a manual start of a day with no data', () => {
  const date = '2025-02-03';

  it('publishes one no-data notice, even when run twice', async () => {
    for (let i = 0; i < 2; i++) {
      const run = await startByHand({ date });
      expect(run.status).toBe('SUCCEEDED');
    }
    const notices = reportsOf(platform, date);
    expect(notices.map((n) => n.subject)).toEqual([`Tillflow daily report ${date}: no data`]);
    expect(notices[0]?.message).toContain(`No store has figures for ${date} (daily-analysis revision 1)`);
    expect(await getItem(platform, 'INSIGHTS', `DATE#${date}`)).toBeUndefined();
  }, 60_000);
});

describe('a manual start with a malformed date', () => {
  it('fails the execution with a ValidationError naming a date that is not in the calendar', async () => {
    const run = await startByHand({ date: '2025-13-45' });
    expect(run.status).toBe('FAILED');
    expect(run.error).toBe('ValidationError');
    // The cause is the function's error as Lambda reports it: its type and message.
    expect(JSON.parse(run.cause ?? '{}')).toMatchObject({
      errorType: 'ValidationError',
      errorMessage: 'date must be a calendar date YYYY-MM-DD, got "2025-13-45"',
    });
    expect(platform.messages('tillflow-alerts').at(-1)?.message).toContain('Subject: 2025-13-45');
  }, 60_000);

  it("fails the execution with the kit's InvalidEventError naming the field for a date not shaped YYYY-MM-DD", async () => {
    const run = await startByHand({ date: '02/11/2025' });
    expect(run).toMatchObject({ status: 'FAILED', error: 'InvalidEventError' });
    expect(JSON.parse(run.cause ?? '{}').errorMessage).toMatch(/date/);
    expect(platform.messages('tillflow-alerts').at(-1)?.message).toContain('Subject: 02/11/2025');
  }, 60_000);

  it('fails an input without a date as InvalidInput, before any step runs', async () => {
    const run = await startByHand({ day: '2025-11-02' });
    expect(run).toMatchObject({ status: 'FAILED', error: 'InvalidInput' });
    expect(run.cause).toContain('daily-analysis takes {"date": "YYYY-MM-DD"}');
  }, 60_000);
});

describe('the publication claim, through publish-notice', () => {
  const notice = (date: string) => ({ date, revision: 1, notice: 'no-data' });
  const noticesOf = (date: string) => reportsOf(platform, date).length;
  const errorName = (result: PromiseSettledResult<unknown>) =>
    result.status === 'rejected' ? (result.reason as Error).name : (result.value as { status: string }).status;

  it('lets one of two simultaneous invocations publish; the other waits or skips', async () => {
    const date = '2025-03-03';
    const results = await Promise.allSettled([
      platform.invoke('publish-notice', notice(date)),
      platform.invoke('publish-notice', notice(date)),
    ]);
    expect(noticesOf(date)).toBe(1);
    expect(results.map(errorName)).toContain('published');
    for (const name of results.map(errorName))
      expect(['published', 'skipped', 'PublicationInProgress']).toContain(name);
    expect(await platform.invoke('publish-notice', notice(date))).toMatchObject({
      status: 'skipped',
      reason: 'published',
    });
    expect(noticesOf(date)).toBe(1);
  });

  it('waits for a live claim of another invocation, and takes over one whose lease has ended', async () => {
    const date = '2025-03-04';
    const claim = (until: number) =>
      platform.documentClient().send(
        new UpdateCommand({
          TableName: platform.tables.sales,
          Key: { PK: `DAY#${date}`, SK: 'STATUS' },
          UpdateExpression:
            'SET no_data_notice_claim_token = :t, no_data_notice_claim_revision = :r, no_data_notice_claim_until = :u',
          ExpressionAttributeValues: { ':t': 'an-invocation-that-died', ':r': 1, ':u': until },
        }),
      );
    await claim(Date.now() + 60_000);
    await expect(platform.invoke('publish-notice', notice(date))).rejects.toMatchObject({
      name: 'PublicationInProgress',
    });
    expect(noticesOf(date)).toBe(0);

    await claim(Date.now() - 1);
    expect(await platform.invoke('publish-notice', notice(date))).toMatchObject({ status: 'published' });
    expect(noticesOf(date)).toBe(1);
    expect(await getItem(platform, `DAY#${date}`, 'STATUS')).toMatchObject({ no_data_notice_published_revision: 1 });
    expect(await getItem(platform, `DAY#${date}`, 'STATUS')).not.toHaveProperty('no_data_notice_claim_token');
  });
});
