import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateSampleData, type SampleFile, serializeStoreFile } from '../../../scripts/sample-data';
import { type Platform, startTestPlatform } from '../src';
import {
  analysisRuns,
  getItem,
  getText,
  putStoreFile,
  reportsOf,
  STORES,
  sampleFile,
  seedAnalysedDays,
  storeSummaries,
  sumCents,
} from './analysis-helpers';

/**
 * Phase 2 on the local platform: the real handlers through upload-processor and daily-analysis, started by the claim
 * of check-all-stores. Each test works on its own business date.
 */
let platform: Platform;

beforeAll(async () => {
  platform = await startTestPlatform();
}, 60_000);

afterAll(() => platform?.stop());

const output = (run: { output?: string } | undefined) => JSON.parse(run?.output ?? 'null') as Record<string, unknown>;

describe('daily analysis, started by the last store of the day', () => {
  const date = '2025-10-27';

  it('runs exactly once and publishes one report when all 11 stores upload at the same moment', async () => {
    await Promise.all(STORES.map((s) => putStoreFile(platform, s, date, sampleFile(s, date))));
    await platform.waitForIdle();

    const uploads = platform.executions({ machine: 'upload-processor' });
    expect(uploads).toHaveLength(11);
    expect(uploads.filter((r) => output(r).claimed === true)).toHaveLength(1);
    const runs = analysisRuns(platform, date);
    expect(runs.map((r) => [r.name, r.status])).toEqual([[`${date}-r1`, 'SUCCEEDED']]);
    expect(JSON.parse(runs[0]?.input ?? '{}')).toEqual({ date, revision: 1, reason: 'all-stores-reported' });
    expect(reportsOf(platform, date)).toHaveLength(1);
    expect(platform.messages('tillflow-alerts')).toEqual([]);
  }, 120_000);

  it('reports figures that are the sums of the store summaries', async () => {
    const stores = await storeSummaries(platform, date);
    expect(stores).toHaveLength(11);
    const netCents = sumCents(stores.map((s) => s.net_sales));
    const transactions = stores.reduce((n, s) => n + s.transactions, 0);
    const items = stores.reduce((n, s) => n + s.items, 0);

    const company = await getItem(platform, 'COMPANY', `DATE#${date}`);
    expect(Math.round((company?.net_sales as number) * 100)).toBe(netCents);
    expect(company).toMatchObject({
      transactions,
      items,
      stores_reported: 11,
      stores_expected: 11,
      missing_stores: [],
    });
    expect(
      sumCents(Object.values(company?.payment_mix as Record<string, { net_sales: number }>).map((m) => m.net_sales)),
    ).toBe(netCents);
    const products = await getItem(platform, 'PRODUCTS', `DATE#${date}`);
    expect(products?.units).toBe(items);
    expect(Math.round((products?.net_sales as number) * 100)).toBe(netCents);

    const [report] = reportsOf(platform, date);
    const net = (netCents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 });
    expect(report?.message).toMatch(new RegExp(`Net sales\\s+${net.replace('.', '\\.')}\\n`));
    expect(report?.message).toMatch(new RegExp(`Transactions\\s+${transactions.toLocaleString('en-US')}\\n`));
    expect(report?.message).toMatch(/Stores reported\s+11\/11\n/);
    expect(await getText(platform, `reports/date=${date}/report.txt`)).toBe(report?.message);

    const exported = (await getText(platform, `quicksight/store_summaries/date=${date}/store_summaries.ndjson`))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { store_id: string; net_sales: number; mobile_transactions: number });
    expect(exported.map((r) => r.store_id)).toEqual(STORES);
    expect(sumCents(exported.map((r) => r.net_sales))).toBe(netCents);
    expect(JSON.parse(await getText(platform, 'quicksight/manifests/store_summaries.json'))).toEqual({
      fileLocations: [{ URIPrefixes: [`s3://${platform.bucket}/quicksight/store_summaries/`] }],
      globalUploadSettings: { format: 'JSON' },
    });
    expect(await getItem(platform, 'INSIGHTS', `DATE#${date}`)).toMatchObject({ date, analysis_revision: 1 });
  });

  it('treats a second start of the same day and revision as a no-op', async () => {
    // The adapter runs in this process here, so it gets the functions' endpoints and credentials as a handler would.
    for (const [name, value] of Object.entries(platform.env)) vi.stubEnv(name, value);
    vi.stubEnv('AWS_REGION', 'us-east-1');
    const { startDailyAnalysis } = await import('@tillflow/aws');
    const again = await startDailyAnalysis(platform.env.DAILY_ANALYSIS_STATE_MACHINE_ARN as string, {
      date,
      revision: 1,
      reason: 'all-stores-reported',
    });
    expect(again).toMatchObject({ name: `${date}-r1`, started: false });
    expect(again.executionArn).toBe(analysisRuns(platform, date)[0]?.executionArn);
    await platform.waitForIdle();
    expect(analysisRuns(platform, date)).toHaveLength(1);
    expect(reportsOf(platform, date)).toHaveLength(1);
  });
});

describe('a claim whose start failed', () => {
  const date = '2025-10-28';

  it('is started by the retry of the upload that holds it, once', async () => {
    await Promise.all(STORES.slice(0, 10).map((s) => putStoreFile(platform, s, date, sampleFile(s, date))));
    await platform.waitForIdle();
    expect(analysisRuns(platform, date)).toEqual([]);

    // What a first attempt of check-all-stores leaves when StartExecution fails after its claim: the claim, no run.
    const attempt = { sourceKey: `uploads/store_0011_${date}.json`, etag: 'first-attempt' };
    await platform.documentClient().send(
      new UpdateCommand({
        TableName: platform.tables.sales,
        Key: { PK: `DAY#${date}`, SK: 'STATUS' },
        UpdateExpression:
          'ADD reported_stores :s SET analysis_claimed_at = :at, analysis_claimed_by = :by, analysis_revision = :one',
        ExpressionAttributeValues: {
          ':s': new Set(['0011']),
          ':at': `${date}T22:00:00Z`,
          ':by': `${attempt.sourceKey}#${attempt.etag}`,
          ':one': 1,
        },
      }),
    );
    const retry = { storeId: '0011', date, ...attempt, replaced: false, eventTime: `${date}T22:00:00Z` };
    const result = await platform.invoke('check-all-stores', retry);
    expect(result).toMatchObject({ claimed: true, revision: 1, execution: { name: `${date}-r1`, started: true } });
    await platform.invoke('check-all-stores', retry);
    await platform.waitForIdle();

    expect(analysisRuns(platform, date).map((r) => [r.name, r.status])).toEqual([[`${date}-r1`, 'SUCCEEDED']]);
    expect(reportsOf(platform, date)).toHaveLength(1);
  }, 120_000);
});

describe('a day with no data', () => {
  it('ends with a clear no-data notice on the report topic', async () => {
    const date = '2025-01-01';
    platform.startExecution('daily-analysis', { date, revision: 1, reason: 'scheduled-cutoff' }, `${date}-r1`);
    await platform.waitForIdle();
    expect(analysisRuns(platform, date).map((r) => r.status)).toEqual(['SUCCEEDED']);
    const [notice] = reportsOf(platform, date);
    expect(notice?.subject).toBe(`Tillflow daily report ${date}: no data`);
    expect(notice?.message).toContain(`No store has figures for ${date}`);
    expect(await getItem(platform, 'INSIGHTS', `DATE#${date}`)).toBeUndefined();
  });
});

describe('re-runs and re-analysis of a day with four weeks of history', () => {
  const start = '2025-12-01';
  const date = '2025-12-22';
  let files: SampleFile[];
  let dropped: string;

  beforeAll(async () => {
    files = [...generateSampleData({ stores: 11, days: 22, start, seed: 7 })];
    await seedAnalysedDays(
      platform,
      files.filter((f) => f.date < date),
    );
    // Store 0003 loses 60% of its transactions: 2 of every 5 are kept.
    const store3 = files.find((f) => f.storeId === '0003' && f.date === date) as SampleFile;
    const transactions = [...new Set(store3.records.map((r) => r.transaction_id as string))];
    const kept = new Set(transactions.filter((_, i) => i % 5 < 2));
    dropped = serializeStoreFile(store3.records.filter((r) => kept.has(r.transaction_id as string)));
  }, 60_000);

  interface StoredInsights {
    analysis_revision: number;
    anomalies: { id: string; subject: string; severity: string }[];
    trends: { id: string }[];
    recommendations: { id: string; subject: string; category: string }[];
  }
  const insights = async () => (await getItem(platform, 'INSIGHTS', `DATE#${date}`)) as unknown as StoredInsights;
  const ids = (i: StoredInsights) => [...i.anomalies, ...i.trends, ...i.recommendations].map((x) => x.id);
  const exportedAnomalies = async () =>
    (await getText(platform, `quicksight/anomalies/date=${date}/anomalies.ndjson`))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { id: string; subject: string });

  it('finds the planted drop, and the trends of two weeks', async () => {
    await Promise.all(
      files
        .filter((f) => f.date === date)
        .map((f) =>
          putStoreFile(platform, f.storeId, date, f.storeId === '0003' ? dropped : serializeStoreFile(f.records)),
        ),
    );
    await platform.waitForIdle();
    expect(analysisRuns(platform, date).map((r) => [r.name, r.status])).toEqual([[`${date}-r1`, 'SUCCEEDED']]);

    const first = await insights();
    expect(first.analysis_revision).toBe(1);
    expect(first.anomalies.filter((a) => a.subject === '0003' && a.severity === 'critical').length).toBeGreaterThan(0);
    expect(first.recommendations).toContainEqual(expect.objectContaining({ subject: '0003', category: 'investigate' }));
    expect(first.trends.length).toBeGreaterThan(0);
    expect(new Set(ids(first)).size).toBe(ids(first).length);
    expect((await exportedAnomalies()).map((a) => a.id)).toEqual(first.anomalies.map((a) => a.id));
  }, 120_000);

  it('gives the same insights, counts and exports when the workflow is run again', async () => {
    const before = await insights();
    const exportedBefore = await exportedAnomalies();
    platform.startExecution('daily-analysis', { date, revision: 1, reason: 'all-stores-reported' }, `${date}-r1-rerun`);
    await platform.waitForIdle();
    expect(analysisRuns(platform, date).map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);

    const after = await insights();
    expect(ids(after)).toEqual(ids(before));
    expect([after.anomalies.length, after.trends.length, after.recommendations.length]).toEqual([
      before.anomalies.length,
      before.trends.length,
      before.recommendations.length,
    ]);
    expect(await exportedAnomalies()).toEqual(exportedBefore);
  }, 60_000);

  it('replaces the insights when a corrected file is uploaded, without duplicates', async () => {
    const store3 = files.find((f) => f.storeId === '0003' && f.date === date) as SampleFile;
    await putStoreFile(platform, '0003', date, serializeStoreFile(store3.records));
    await platform.waitForIdle();

    const runs = analysisRuns(platform, date);
    expect(runs.map((r) => r.name)).toEqual([`${date}-r1`, `${date}-r1-rerun`, `${date}-r2`]);
    expect(runs.every((r) => r.status === 'SUCCEEDED')).toBe(true);
    expect(JSON.parse(runs[2]?.input ?? '{}')).toEqual({ date, revision: 2, reason: 'reanalysis' });

    const corrected = await insights();
    expect(corrected.analysis_revision).toBe(2);
    expect(corrected.anomalies.filter((a) => a.subject === '0003' && a.severity === 'critical')).toEqual([]);
    expect(corrected.recommendations.filter((r) => r.subject === '0003' && r.category === 'investigate')).toEqual([]);
    expect(new Set(ids(corrected)).size).toBe(ids(corrected).length);
    const exported = await exportedAnomalies();
    expect(exported.map((a) => a.id)).toEqual(corrected.anomalies.map((a) => a.id));
    expect(exported.filter((a) => a.subject === '0003' && corrected.anomalies.every((c) => c.id !== a.id))).toEqual([]);

    const company = await getItem(platform, 'COMPANY', `DATE#${date}`);
    const stores = await storeSummaries(platform, date);
    expect(Math.round((company?.net_sales as number) * 100)).toBe(sumCents(stores.map((s) => s.net_sales)));
    expect(company?.analysis_revision).toBe(2);
    expect(reportsOf(platform, date).at(-1)?.message).toContain('Analysis revision 2;');
  }, 120_000);
});
