import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector, LOCAL_CREDENTIALS, type Platform, REGION, startTestPlatform, throttle } from '../src';
import { putStoreFile, sampleFile } from './analysis-helpers';

/**
 * What an operator reads in the functions' log groups (the local CloudWatch Logs, through the SDK as in AWS): the
 * business metrics as embedded metric format lines, and error lines with the error's stack and cause. The bundles
 * run as in Lambda; store 0002's Parquet writes are throttled for good, so that its upload fails.
 */
const date = '2025-10-28';
let platform: Platform;
let logs: CloudWatchLogsClient;
const faults = new FaultInjector().add({
  service: 's3',
  operation: 'PutObject',
  keyPrefix: `processed/sales/date=${date}/store=0002/`,
  times: Number.POSITIVE_INFINITY,
  action: throttle('s3'),
});

/** Store 0001's file with three bad lines: two without a SKU, one without a customer. */
function fileWithBadLines(): { body: string; lines: number } {
  const records = JSON.parse(sampleFile('0001', date)) as Record<string, unknown>[];
  records[1] = { ...records[1], item_sku: '' };
  records[4] = { ...records[4], item_sku: '' };
  records[7] = { ...records[7], customer_id: '' };
  return { body: JSON.stringify(records, null, 2), lines: records.length };
}
const bad = fileWithBadLines();

beforeAll(async () => {
  // Only 0001 is expected, so that its upload starts the day's analysis; 0002 is an extra store whose upload fails.
  platform = await startTestPlatform({ expectedStores: ['0001'], faults, env: { AWS_MAX_ATTEMPTS: '2' } });
  logs = new CloudWatchLogsClient({
    region: REGION,
    endpoint: platform.endpoints.logs,
    credentials: LOCAL_CREDENTIALS,
  });
  await putStoreFile(platform, '0001', date, bad.body);
  await putStoreFile(platform, '0002', date, sampleFile('0002', date));
  await platform.waitForIdle();
}, 120_000);

afterAll(async () => {
  logs?.destroy();
  await platform?.stop();
});

/** Every JSON line of a function's log group. */
async function jsonLines(fn: string): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let nextToken: string | undefined;
  do {
    const page = await logs.send(
      new FilterLogEventsCommand({ logGroupName: `/aws/lambda/tillflow-${fn}`, ...(nextToken ? { nextToken } : {}) }),
    );
    for (const event of page.events ?? []) {
      if (event.message?.startsWith('{')) out.push(JSON.parse(event.message) as Record<string, unknown>);
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return out;
}

interface Emf {
  _aws: {
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[];
  };
  [key: string]: unknown;
}

/** The EMF lines of a function that hold a metric. */
async function metricLines(fn: string, metric: string): Promise<Emf[]> {
  return (await jsonLines(fn)).filter(
    (l): l is Emf =>
      typeof l._aws === 'object' &&
      (l as Emf)._aws.CloudWatchMetrics.some((d) => d.Metrics.some((m) => m.Name === metric)),
  );
}

describe('business metrics (Powertools Metrics, EMF in the log group)', () => {
  it('counts files and lines accepted and rejected, and the rejected lines by the field at fault', async () => {
    const accepted = await metricLines('process-upload', 'FilesAccepted');
    expect(accepted).toHaveLength(1);
    const [line] = accepted;
    expect(line?._aws.CloudWatchMetrics[0]?.Namespace).toBe('Tillflow');
    expect(line?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service']]);
    expect(line).toMatchObject({
      service: 'tillflow',
      FilesAccepted: 1,
      LinesAccepted: bad.lines - 3,
      LinesRejected: 3,
    });
    const byReason = await metricLines('process-upload', 'LinesRejectedByReason');
    expect(Object.fromEntries(byReason.map((l) => [l.reason, l.LinesRejectedByReason]))).toEqual({
      item_sku: 2,
      customer_id: 1,
    });
    expect(byReason[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'reason']]);
  });

  it("times the day's analysis and counts the insights generated", async () => {
    const [duration] = await metricLines('combine-insights', 'AnalysisDuration');
    expect(duration?._aws.CloudWatchMetrics[0]?.Metrics).toEqual([{ Name: 'AnalysisDuration', Unit: 'Milliseconds' }]);
    const [analysis] = platform.executions({ machine: 'daily-analysis', status: 'SUCCEEDED' });
    const wall = Date.parse(analysis?.stopDate ?? '') - Date.parse(analysis?.startDate ?? '');
    expect(duration?.AnalysisDuration).toBeGreaterThan(0);
    expect(duration?.AnalysisDuration).toBeLessThanOrEqual(wall);
    const [insights] = await metricLines('generate-recommendations', 'InsightsGenerated');
    expect(insights).toMatchObject({ InsightsGenerated: 1, InsightsDegraded: 0 });
  });

  it('counts a failed workflow once, by workflow and step', async () => {
    const failures = await metricLines('notify-failure', 'WorkflowFailures');
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ WorkflowFailures: 1, workflow: 'upload-processor', step: 'ProcessUpload' });
    expect(failures[0]?._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['service', 'workflow', 'step']]);
  });
});

describe('error log lines', () => {
  it("carry the error's stack and its cause, the SDK's error, with its own stack", async () => {
    const errors = (await jsonLines('process-upload')).filter((l) => l.message === 'invocation failed');
    // One per attempt of the Task: the first and its 6 retries.
    expect(errors).toHaveLength(7);
    const error = errors[0]?.error as Record<string, unknown>;
    expect(errors[0]).toMatchObject({ level: 'ERROR', function: 'process-upload' });
    expect(errors[0]?.correlation_id).toMatch(/^uploads\/store_0002_2025-10-28\.json#/);
    expect(error).toMatchObject({ name: 'TransientError', message: expect.stringMatching(/^SlowDown: /) });
    expect(error.stack).toMatch(/^TransientError: SlowDown: .*\n\s+at /);
    const cause = error.cause as Record<string, unknown>;
    expect(cause).toMatchObject({ name: 'SlowDown', message: 'Please reduce your request rate.' });
    expect(cause.stack).toMatch(/^SlowDown: Please reduce your request rate\.\n\s+at /);
  });
});
