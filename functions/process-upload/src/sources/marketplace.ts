import { deleteObject, getJson, getObjectStream, putJson, putObject } from '@tillflow/aws';
import { marketplaceRowsToParquet } from '@tillflow/columnar';
import {
  MARKETPLACE_COLUMNS,
  MarketplaceKpiAccumulator,
  type MarketplaceReport,
  type MarketplaceRow,
  type MarketplaceSummary,
  MarketplaceValidator,
  marketplaceProcessedKey,
  marketplaceRejectedKey,
  marketplaceSummaryKey,
  NotFoundError,
  RejectedFileError,
  RejectionLog,
  reportId,
  resolveMarketplaceHeader,
} from '@tillflow/core';
import type { UploadEvent } from '../event';
import { openCsv } from './csv';
import { csvRejectionReport, putRejectionReport, putWholeRejection, recordObject } from './rejections';

/**
 * The largest marketplace report taken (or MAX_UPLOAD_BYTES, if lower). A report streams, but its accepted lines are
 * held until the partitions are written (a report is in no date order), about 1.1 KB a line: a 68 MB report of 318k
 * lines peaked at 515 MB RSS (scripts/bench/marketplace-report.ts), so 128 MB stays within the function's 1,024 MB.
 */
export const MAX_MARKETPLACE_REPORT_BYTES = 128 * 1024 * 1024;

/** The report's columns: reasons about them are counted by name in the rejection report. */
const COLUMN_NAMES: ReadonlySet<string> = new Set(MARKETPLACE_COLUMNS);

/** PUTs of a report's partitions in flight at once. */
const WRITE_CONCURRENCY = 8;

/** What process-upload returns for a marketplace report: keys and counts, never data. */
export type MarketplaceUploadResult =
  | {
      status: 'processed';
      source: 'marketplace';
      sourceKey: string;
      etag: string;
      report: string;
      lines: number;
      accepted: number;
      rejected: number;
      /** Lake objects written: one a day of the report. */
      partitions: number;
      summaryKey: string;
      rejectedKey?: string;
    }
  | {
      status: 'rejected';
      source: 'marketplace';
      sourceKey: string;
      etag: string;
      report: string;
      lines: number;
      accepted: 0;
      rejected: number;
      rejectedKey: string;
      reason: string;
    };

/**
 * The marketplace adapter: streams the report, validates each line (reasons to `rejected/`), writes the accepted
 * lines as Parquet partitioned by channel and order date, computes the report's KPIs as it goes and keeps them in
 * the summary that `GET /analytics/marketplace` reads. A re-upload of a report replaces it: the lake objects the
 * previous version wrote and this one does not are deleted, so no line is counted twice.
 */
export async function processMarketplace(
  event: UploadEvent,
  bucket: string,
  report: MarketplaceReport,
  maxUploadBytes: number,
): Promise<MarketplaceUploadResult> {
  const maxBytes = Math.min(maxUploadBytes, MAX_MARKETPLACE_REPORT_BYTES);
  const rejectKey = marketplaceRejectedKey(report);
  const rejectWhole = async (etag: string, reason: string): Promise<MarketplaceUploadResult> => {
    await putWholeRejection(bucket, rejectKey, { sourceKey: event.key, etag }, reason);
    const base = { source: 'marketplace', sourceKey: event.key, etag, report: reportId(report) } as const;
    return { status: 'rejected', ...base, lines: 0, accepted: 0, rejected: 0, rejectedKey: rejectKey, reason };
  };
  if (event.size !== undefined && event.size > MAX_MARKETPLACE_REPORT_BYTES) {
    return rejectWhole(
      event.etag,
      `the file is ${event.size} bytes, over the limit of ${MAX_MARKETPLACE_REPORT_BYTES}`,
    );
  }
  const object = await getObjectStream(event.bucket || bucket, event.key);
  const source = { sourceKey: event.key, etag: object.etag || event.etag };
  let read: Awaited<ReturnType<typeof readReport>>;
  try {
    read = await readReport(object.body);
  } catch (error) {
    if (!(error instanceof RejectedFileError)) throw error;
    return rejectWhole(source.etag, error.message);
  }
  const { byDate, kpis, rejections, lines, currency } = read;
  const accepted = lines - rejections.total;
  const base = { source: 'marketplace', ...source, report: reportId(report) } as const;
  if (rejections.total > 0)
    await putRejectionReport(bucket, rejectKey, csvRejectionReport(source, { lines, accepted }, rejections));
  else await deleteObject(bucket, rejectKey);
  if (accepted === 0) {
    const reason = 'no line of the file is valid';
    return {
      status: 'rejected',
      ...base,
      lines,
      accepted: 0,
      rejected: rejections.total,
      rejectedKey: rejectKey,
      reason,
    };
  }

  const written = await writePartitions(bucket, report, byDate);
  const summaryKey = marketplaceSummaryKey(report);
  await dropStalePartitions(bucket, summaryKey, new Set(written));
  const summary: MarketplaceSummary = {
    report: reportId(report),
    source_key: source.sourceKey,
    source_etag: source.etag,
    processed_at: new Date().toISOString(),
    ...kpis.result(rejections.total, currency),
    processed_keys: written,
  };
  await putJson(bucket, summaryKey, summary);
  return {
    status: 'processed',
    ...base,
    lines,
    accepted,
    rejected: rejections.total,
    partitions: written.length,
    summaryKey,
    ...(rejections.total > 0 ? { rejectedKey: rejectKey } : {}),
  };
}

/**
 * Reads and checks every line of a report, in one pass over the stream. Accepted lines are kept by order date until
 * the end (the report is in no particular date order), their repeated texts shared (interned) so that a line costs
 * its distinct values only.
 */
async function readReport(body: Parameters<typeof openCsv>[0]) {
  const csv = await openCsv(body);
  const { columns } = resolveMarketplaceHeader(csv.header);
  const validator = new MarketplaceValidator();
  const kpis = new MarketplaceKpiAccumulator();
  const rejections = new RejectionLog(undefined, COLUMN_NAMES);
  const byDate = new Map<string, MarketplaceRow[]>();
  const intern = new Map<string, string>();
  const shared = (s: string | null) => {
    if (s === null || s.length > 64) return s;
    const seen = intern.get(s);
    if (seen !== undefined) return seen;
    intern.set(s, s);
    return s;
  };
  let lines = 0;
  for await (const { fields, line } of csv.records) {
    lines = line;
    if (fields.length !== csv.header.length) {
      const message = `has ${fields.length} fields where the header has ${csv.header.length}`;
      rejections.add({
        line,
        record: recordObject(csv.header, fields),
        reasons: [{ field: '(record)', rule: 'invalid', message }],
      });
      continue;
    }
    const checked = validator.check(fields, columns, line);
    if (Array.isArray(checked)) {
      rejections.add({ line, record: recordObject(csv.header, fields), reasons: checked });
      continue;
    }
    const row = internRow(checked, shared);
    kpis.add(row);
    let day = byDate.get(row.business_date);
    if (day === undefined) {
      day = [];
      byDate.set(row.business_date, day);
    }
    day.push(row);
  }
  if (lines === 0) throw new RejectedFileError('the file has a header but no order lines');
  return { byDate, kpis, rejections, lines, currency: validator.reportCurrency };
}

const INTERNED = [
  'business_date',
  'status',
  'sales_channel',
  'ship_service_level',
  'style',
  'category',
  'size',
  'courier_status',
  'currency',
  'ship_city',
  'ship_state',
  'ship_country',
  'fulfilled_by',
] as const;

function internRow(row: MarketplaceRow, shared: (s: string | null) => string | null): MarketplaceRow {
  const out = row as unknown as Record<string, string | null>;
  for (const field of INTERNED) out[field] = shared(out[field] ?? null);
  return row;
}

/** One Parquet object per order date, written a few at a time; returns their keys in date order. */
async function writePartitions(
  bucket: string,
  report: MarketplaceReport,
  byDate: Map<string, MarketplaceRow[]>,
): Promise<string[]> {
  const dates = [...byDate.keys()].sort();
  const keys = dates.map((date) => marketplaceProcessedKey(report, date));
  let next = 0;
  const worker = async () => {
    while (next < dates.length) {
      const i = next++;
      const rows = byDate.get(dates[i] as string) as MarketplaceRow[];
      const bytes = marketplaceRowsToParquet(report.channel, rows);
      byDate.delete(dates[i] as string);
      await putObject(bucket, keys[i] as string, bytes, 'application/vnd.apache.parquet');
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, dates.length) }, worker));
  return keys;
}

/** Deletes what the report's previous upload wrote to the lake and this one did not (a day no longer in it). */
async function dropStalePartitions(bucket: string, summaryKey: string, written: ReadonlySet<string>): Promise<void> {
  let previous: MarketplaceSummary;
  try {
    previous = await getJson<MarketplaceSummary>(bucket, summaryKey);
  } catch (error) {
    if (error instanceof NotFoundError) return;
    throw error;
  }
  for (const key of previous.processed_keys ?? []) {
    if (!written.has(key)) await deleteObject(bucket, key);
  }
}
