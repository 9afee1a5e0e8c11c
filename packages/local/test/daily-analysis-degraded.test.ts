import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Platform, startTestPlatform } from '../src';
import { analysisRuns, getItem, putStoreFile, reportsOf, sampleFile } from './analysis-helpers';

/**
 * A failed insight branch on the local platform: detect-anomalies times out on every call (a 1 ms timeout), which no
 * Retry covers, so its branch catches the failure and the day is analysed with the statistical fallback, reported as
 * a partial failure.
 */
let platform: Platform;
const date = '2025-10-27';
const stores = ['0001', '0002'];

beforeAll(async () => {
  platform = await startTestPlatform({
    expectedStores: stores,
    functionTimeoutsSeconds: { 'detect-anomalies': 0.001 },
  });
  await Promise.all(stores.map((s) => putStoreFile(platform, s, date, sampleFile(s, date))));
  await platform.waitForIdle();
}, 60_000);

afterAll(() => platform?.stop());

describe('a failed insight branch', () => {
  it('degrades the day instead of failing it', () => {
    const runs = analysisRuns(platform, date);
    expect(runs.map((r) => [r.name, r.status])).toEqual([[`${date}-r1`, 'SUCCEEDED']]);
    expect(runs[0]?.caught).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(runs[0]?.output ?? '{}')).toMatchObject({ degraded: true, provider: 'statistical' });
  });

  it('is reported as a partial failure on the alerts topic, naming the step and the error', () => {
    const alerts = platform.messages('tillflow-alerts');
    expect(alerts.map((m) => m.subject)).toEqual([`Tillflow daily-analysis ${date} r1: partial failure`]);
    expect(alerts[0]?.message).toContain(
      `The daily analysis of ${date} (revision 1) completed with a partial failure.`,
    );
    expect(alerts[0]?.message).toMatch(/- detect-anomalies failed \(Sandbox\.Timedout: .*timed out.*\); recomputed/);
  });

  it('still stores the insights and publishes the report, marked as partial', async () => {
    const insights = await getItem(platform, 'INSIGHTS', `DATE#${date}`);
    expect(insights).toMatchObject({ degraded: true, provider: 'statistical' });
    expect((insights?.reasons as string[] | undefined)?.[0]).toMatch(/^detect-anomalies failed \(Sandbox\.Timedout/);
    const reports = reportsOf(platform, date);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.subject).toMatch(/\(partial\)$/);
    expect(reports[0]?.message).toContain('PARTIAL FAILURE: these insights come from the fallback.');
  });
});
