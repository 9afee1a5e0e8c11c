import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import {
  type CanonicalRow,
  companyMetricsKey,
  productMetricsKey,
  type StoreSummary,
  storeSummaryKey,
  summarizeCompany,
  summarizeProducts,
  summarizeStoreDay,
  validateRecords,
} from '@tillflow/core';
import type { SampleFile } from '../../../scripts/sample-data';
import { DEFAULT_EXPECTED_STORES, type Platform, REPO_ROOT } from '../src';

/**
 * Helpers of the integration tests on a platform from `startTestPlatform()` (the real functions and state machines;
 * the cut-off runs only when a test invokes it): store files put into the bucket as the upload URL would, and readers
 * of what the analysis leaves behind.
 */

/** The stores the platform expects by default: 0001 to 0011, as in the sample data. */
export const STORES = DEFAULT_EXPECTED_STORES;

/** A committed sample store file, as text. */
export function sampleFile(storeId: string, date: string): string {
  return readFileSync(join(REPO_ROOT, 'sample-data', `store_${storeId}_${date}.json`), 'utf8');
}

/** Puts a store file under uploads/, which starts upload-processor as the presigned PUT would. */
export async function putStoreFile(platform: Platform, storeId: string, date: string, body: string): Promise<void> {
  await platform.s3Client().send(
    new PutObjectCommand({
      Bucket: platform.bucket,
      Key: `uploads/store_${storeId}_${date}.json`,
      Body: body,
      ContentType: 'application/json',
    }),
  );
}

/** The daily-analysis executions of a date, oldest first. */
export function analysisRuns(platform: Platform, date: string) {
  return platform
    .executions({ machine: 'daily-analysis' })
    .filter((r) => (JSON.parse(r.input) as { date?: string }).date === date);
}

/** The reports published for a date (the report topic, by subject). */
export function reportsOf(platform: Platform, date: string) {
  return platform
    .messages('tillflow-daily-report')
    .filter((m) => m.subject?.startsWith(`Tillflow daily report ${date}`));
}

export async function getItem(
  platform: Platform,
  PK: string,
  SK: string,
): Promise<Record<string, unknown> | undefined> {
  const out = await platform
    .documentClient()
    .send(new GetCommand({ TableName: platform.tables.sales, Key: { PK, SK } }));
  return out.Item;
}

/** Every store summary of a date, through GSI1 as get-store-summaries reads them. */
export async function storeSummaries(platform: Platform, date: string): Promise<StoreSummary[]> {
  const out = await platform.documentClient().send(
    new QueryCommand({
      TableName: platform.tables.sales,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :d AND begins_with(GSI1SK, :s)',
      ExpressionAttributeValues: { ':d': `DATE#${date}`, ':s': 'STORE#' },
    }),
  );
  return (out.Items ?? []) as StoreSummary[];
}

export async function getText(platform: Platform, key: string): Promise<string> {
  const out = await platform.s3Client().send(new GetObjectCommand({ Bucket: platform.bucket, Key: key }));
  return (await out.Body?.transformToString('utf-8')) ?? '';
}

/** Sum of amounts in integer cents, so that comparisons with the stored figures are exact. */
export function sumCents(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + Math.round(v * 100), 0);
}

/**
 * Writes the figures of earlier days straight into the table, as if those days had been uploaded and analysed: each
 * store's summary, the company figures and the product figures, computed with @tillflow/core from the files. Lets a
 * test give a day four weeks of history without running four weeks through the pipeline.
 */
export async function seedAnalysedDays(platform: Platform, files: readonly SampleFile[]): Promise<void> {
  const byDate = new Map<string, SampleFile[]>();
  for (const f of files) byDate.set(f.date, [...(byDate.get(f.date) ?? []), f]);
  const db = platform.documentClient();
  const put = (Item: Record<string, unknown>) => db.send(new PutCommand({ TableName: platform.tables.sales, Item }));
  for (const [date, dayFiles] of byDate) {
    const rows: CanonicalRow[] = [];
    const summaries = dayFiles.map((f) => {
      const valid = validateRecords(f.records, f).rows;
      rows.push(...valid);
      return summarizeStoreDay(f.storeId, date, valid);
    });
    await Promise.all([
      ...summaries.map((s) =>
        put({
          ...storeSummaryKey({ storeId: s.store_id, date }),
          entity: 'STORE_SUMMARY',
          ...s,
          source_key: `uploads/store_${s.store_id}_${date}.json`,
          source_etag: 'seeded',
          rejected_lines: 0,
          updated_at: `${date}T23:00:00Z`,
          source_sequencer: '0'.repeat(32),
        }),
      ),
      put({
        ...companyMetricsKey(date),
        entity: 'COMPANY_METRICS',
        analysis_revision: 1,
        ...summarizeCompany(date, summaries, STORES),
      }),
      put({
        ...productMetricsKey(date),
        entity: 'PRODUCT_METRICS',
        analysis_revision: 1,
        ...summarizeProducts(date, rows),
      }),
    ]);
  }
}
