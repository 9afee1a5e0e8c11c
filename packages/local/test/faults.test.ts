import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FaultInjector,
  type FaultRule,
  type Platform,
  type PlatformOptions,
  serverError,
  startTestPlatform,
  throttle,
} from '../src';
import { putStoreFile, sampleFile } from './analysis-helpers';
import { type FinalState, finalState } from './final-state';

/**
 * Injected faults on the local platform, through a proxy between the functions' SDK clients and the S3 and DynamoDB
 * servers (`FaultInjector`), with the functions running from their bundles. Each scenario uploads the same two store
 * files (the day's expected stores, so that the day's analysis runs too) and ends either with the same final state
 * as a clean run (table items, objects under processed/ rejected/ reports/ quicksight/, SNS messages counted) or with
 * exactly one alert that names the step and the upload key or date, and then, once the fault is gone, with the clean
 * state after the failed work is started again.
 */
const date = '2025-10-27';
const stores = ['0001', '0002'];
const uploadKey = (store: string) => `uploads/store_${store}_${date}.json`;

const platforms: Platform[] = [];
afterAll(async () => {
  await Promise.all(platforms.map((p) => p.stop()));
});

async function start(faults?: FaultInjector, options: Partial<PlatformOptions> = {}): Promise<Platform> {
  const platform = await startTestPlatform({ expectedStores: stores, ...(faults ? { faults } : {}), ...options });
  platforms.push(platform);
  return platform;
}

async function uploadDay(platform: Platform): Promise<void> {
  for (const store of stores) await putStoreFile(platform, store, date, sampleFile(store, date));
  await platform.waitForIdle();
}

/** A run of the day with these rules armed from the start. */
async function runWith(
  rules: FaultRule[],
  options: Partial<PlatformOptions> = {},
): Promise<{ platform: Platform; faults: FaultInjector }> {
  const faults = new FaultInjector();
  for (const rule of rules) faults.add(rule);
  const platform = await start(faults, options);
  await uploadDay(platform);
  return { platform, faults };
}

function alerts(platform: Platform) {
  return platform.messages('tillflow-alerts');
}

function statuses(platform: Platform): string[] {
  return platform
    .executions()
    .map((r) => `${r.machine} ${r.status}`)
    .sort();
}

/**
 * For the faults that never end: the SDK makes 2 attempts instead of 3 (`AWS_MAX_ATTEMPTS`), so that the Task's 7
 * attempts, each with the SDK's backoff, end within the test; the outcome is the same with 3.
 */
const PERSISTENT: Partial<PlatformOptions> = { env: { AWS_MAX_ATTEMPTS: '2' } };

let clean: FinalState;

beforeAll(async () => {
  // The clean run goes through the proxy as well, with no rule: the proxy alone changes nothing.
  const { platform, faults } = await runWith([]);
  clean = await finalState(platform);
  expect(faults.injected).toEqual([]);
  expect(faults.seen.some((r) => r.service === 's3' && r.operation === 'PutObject')).toBe(true);
  expect(faults.seen.some((r) => r.service === 'dynamodb' && r.operation === 'PutItem')).toBe(true);
}, 120_000);

describe('the clean run', () => {
  it('processes both files, analyses the day once and publishes one report', () => {
    expect(Object.keys(clean.objects).filter((k) => k.startsWith('processed/'))).toHaveLength(2);
    expect(Object.keys(clean.objects).some((k) => k.startsWith('quicksight/'))).toBe(true);
    expect(clean.items[`INSIGHTS DATE#${date}`]).toBeDefined();
    expect(Object.entries(clean.messages)).toEqual([
      [expect.stringMatching(new RegExp(`^tillflow-daily-report Tillflow daily report ${date}: net sales`)), 1],
    ]);
  });
});

describe('transient faults the retries absorb: the same final state as a clean run', () => {
  it('S3 answers the first PutObject to processed/ with 503 SlowDown', async () => {
    const { platform, faults } = await runWith([
      {
        service: 's3',
        operation: 'PutObject',
        keyPrefix: 'processed/',
        action: throttle('s3'),
      },
    ]);
    expect(faults.injected.map((f) => [f.operation, f.code, f.key?.split('/')[0]])).toEqual([
      ['PutObject', 'SlowDown', 'processed'],
    ]);
    expect(statuses(platform)).toEqual([
      'daily-analysis SUCCEEDED',
      'upload-processor SUCCEEDED',
      'upload-processor SUCCEEDED',
    ]);
    expect(await finalState(platform)).toEqual(clean);
  }, 90_000);

  it('DynamoDB answers ProvisionedThroughputExceededException twice on the sales table', async () => {
    const { platform, faults } = await runWith([
      {
        service: 'dynamodb',
        table: 'tillflow-sales',
        times: 2,
        action: throttle('dynamodb'),
      },
    ]);
    expect(faults.injected.map((f) => f.code)).toEqual([
      'ProvisionedThroughputExceededException',
      'ProvisionedThroughputExceededException',
    ]);
    expect(alerts(platform)).toEqual([]);
    expect(await finalState(platform)).toEqual(clean);
  }, 90_000);

  it('S3 writes a Parquet file and then answers 500 InternalError, so the step writes it again', async () => {
    const { platform, faults } = await runWith([
      {
        service: 's3',
        operation: 'PutObject',
        keyPrefix: 'processed/',
        when: 'after',
        action: serverError('s3'),
      },
    ]);
    expect(faults.injected).toMatchObject([{ operation: 'PutObject', code: 'InternalError', when: 'after' }]);
    expect(await finalState(platform)).toEqual(clean);
  }, 90_000);

  it('DynamoDB answers 500 InternalServerError five times in a row, more than the SDK attempts', async () => {
    // The SDK makes 4 attempts on DynamoDB; the fourth fault fails check-all-stores as TransientError, which the
    // Task's Retry takes. One environment per function, so that the faults meet one invocation's attempts.
    const { platform, faults } = await runWith(
      [{ service: 'dynamodb', operation: 'UpdateItem', keyPrefix: 'DAY#', times: 5, action: serverError('dynamodb') }],
      { concurrency: 1 },
    );
    expect(faults.injected).toHaveLength(5);
    expect(platform.executions().reduce((n, r) => n + r.retries, 0)).toBeGreaterThanOrEqual(1);
    expect(alerts(platform)).toEqual([]);
    expect(await finalState(platform)).toEqual(clean);
  }, 90_000);

  it('the connection to S3 is reset on the first GetObject of an upload', async () => {
    const { platform, faults } = await runWith([
      {
        service: 's3',
        operation: 'GetObject',
        keyPrefix: 'uploads/',
        action: { kind: 'reset' },
      },
    ]);
    expect(faults.injected).toMatchObject([{ operation: 'GetObject', action: 'reset' }]);
    expect(await finalState(platform)).toEqual(clean);
  }, 90_000);
});

describe('persistent faults: one alert naming the step and the key, then the clean state once the fault is gone', () => {
  it('S3 throttles every Parquet write of store 0002: upload-processor fails at ProcessUpload', async () => {
    const { platform, faults } = await runWith(
      [
        {
          service: 's3',
          operation: 'PutObject',
          keyPrefix: `processed/sales/date=${date}/store=0002/`,
          times: Number.POSITIVE_INFINITY,
          action: throttle('s3'),
        },
      ],
      PERSISTENT,
    );
    expect(faults.injected.length).toBeGreaterThan(3);
    const failed = platform.executions({ status: 'FAILED' });
    expect(failed.map((r) => [r.machine, r.error])).toEqual([['upload-processor', 'UploadProcessingFailed']]);
    expect(alerts(platform).map((m) => m.subject)).toEqual([
      'Tillflow upload-processor failed at ProcessUpload: TransientError',
    ]);
    const [alert] = alerts(platform);
    expect(alert?.message).toContain(`Subject: ${uploadKey('0002')}`);
    expect(alert?.message).toContain('Step: ProcessUpload');
    expect(alert?.message).toMatch(/Cause: SlowDown: Please reduce your request rate/);
    // Nothing of store 0002 is half-written; the day waits for it instead of being analysed without it.
    const state = await finalState(platform);
    expect(Object.keys(state.objects).filter((k) => k.includes('store=0002'))).toEqual([]);
    expect(state.items[`STORE#0002 DATE#${date}`]).toBeUndefined();
    expect(platform.executions({ machine: 'daily-analysis' })).toEqual([]);

    // The fault is gone: the same event again completes the day as the clean run did.
    faults.clear();
    platform.startExecution('upload-processor', JSON.parse(failed[0]?.input ?? '{}'));
    await platform.waitForIdle();
    const after = await finalState(platform);
    const alertId = 'tillflow-alerts Tillflow upload-processor failed at ProcessUpload: TransientError';
    expect(after.messages[alertId]).toBe(1);
    const { [alertId]: _, ...messages } = after.messages;
    expect({ ...after, messages }).toEqual(clean);
  }, 120_000);

  it('S3 refuses every write under analysis/: daily-analysis fails at GetStoreSummaries, naming the date', async () => {
    const { platform, faults } = await runWith(
      [
        {
          service: 's3',
          operation: 'PutObject',
          keyPrefix: 'analysis/',
          times: Number.POSITIVE_INFINITY,
          action: serverError('s3'),
        },
      ],
      PERSISTENT,
    );
    expect(faults.injected.length).toBeGreaterThan(3);
    expect(statuses(platform)).toEqual([
      'daily-analysis FAILED',
      'upload-processor SUCCEEDED',
      'upload-processor SUCCEEDED',
    ]);
    expect(alerts(platform).map((m) => m.subject)).toEqual([
      'Tillflow daily-analysis failed at GetStoreSummaries: TransientError',
    ]);
    expect(alerts(platform)[0]?.message).toContain(`Subject: ${date} r1`);
    const state = await finalState(platform);
    expect(state.items[`INSIGHTS DATE#${date}`]).toBeUndefined();
    expect(Object.keys(state.objects).filter((k) => k.startsWith('reports/') || k.startsWith('quicksight/'))).toEqual(
      [],
    );

    faults.clear();
    const [failed] = platform.executions({ machine: 'daily-analysis', status: 'FAILED' });
    platform.startExecution('daily-analysis', JSON.parse(failed?.input ?? '{}'), `${failed?.name}-again`);
    await platform.waitForIdle();
    const after = await finalState(platform);
    const alertId = 'tillflow-alerts Tillflow daily-analysis failed at GetStoreSummaries: TransientError';
    expect(after.messages[alertId]).toBe(1);
    const { [alertId]: _, ...messages } = after.messages;
    expect({ ...after, messages }).toEqual(clean);
  }, 120_000);
});

describe('a function killed mid-write', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'tillflow-killed-'));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('fails the upload with one alert, and the next start completes it to the clean state', async () => {
    const faults = new FaultInjector().add({
      service: 's3',
      operation: 'PutObject',
      keyPrefix: `processed/sales/date=${date}/store=0002/`,
      // The Parquet file lands, then process-upload dies before it can return (or record its result).
      when: 'after',
      action: { kind: 'kill', functionName: 'process-upload' },
    });
    // One environment per function: the kill ends the invocation that made the write, and no other.
    const first = await startTestPlatform({
      expectedStores: stores,
      faults,
      stateDir,
      inMemoryDynamoDB: false,
      concurrency: 1,
    });
    try {
      await uploadDay(first);
      expect(faults.injected).toMatchObject([{ action: 'kill', operation: 'PutObject' }]);
      expect(first.executions({ status: 'FAILED' }).map((r) => r.machine)).toEqual(['upload-processor']);
      expect(alerts(first).map((m) => m.subject)).toEqual([
        'Tillflow upload-processor failed at ProcessUpload: Runtime.ExitError',
      ]);
      expect(alerts(first)[0]?.message).toContain(`Subject: ${uploadKey('0002')}`);
      expect(alerts(first)[0]?.message).toContain('signal: killed');
      // The write that landed is there, and the alert says the file was not processed: no silent partial state.
      const state = await finalState(first);
      expect(Object.keys(state.objects).filter((k) => k.includes('store=0002'))).toHaveLength(1);
      expect(state.items[`STORE#0002 DATE#${date}`]).toBeUndefined();
    } finally {
      await first.stop();
    }

    // The next start reconciles: the killed invocation's idempotency record is released and the upload processed.
    const second = await startTestPlatform({ expectedStores: stores, stateDir, inMemoryDynamoDB: false });
    platforms.push(second);
    expect(second.reconciled).toMatchObject({ releasedInvocations: 1, uploads: [uploadKey('0002')] });
    await second.waitForIdle();
    const after = await finalState(second);
    // No new alert: the messages of the second start are the clean run's (the report, once).
    expect(after).toEqual(clean);
  }, 120_000);
});
