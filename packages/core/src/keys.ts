import { isCalendarDate } from './dates';
import { ValidationError } from './errors';

/** A store id: exactly four digits, as in `store_0001_2025-10-29.json`. */
export const STORE_ID_RE = /^\d{4}$/;
const STORE_FILE_RE = /^store_(\d{4})_(\d{4}-\d{2}-\d{2})\.json$/;

export interface StoreDay {
  storeId: string;
  date: string;
}

/** `uploads/store_<NNNN>_<YYYY-MM-DD>.json`: the only key a store upload may have. */
export function uploadKey({ storeId, date }: StoreDay): string {
  return `uploads/${storeFileName({ storeId, date })}`;
}

export function storeFileName({ storeId, date }: StoreDay): string {
  return `store_${storeId}_${date}.json`;
}

/**
 * The store and business date named by a store file name (`store_0001_2025-10-29.json`). Throws a ValidationError
 * saying what is wrong otherwise, including a date that is not on the calendar.
 */
export function parseStoreFileName(fileName: string): StoreDay {
  const m = STORE_FILE_RE.exec(fileName);
  if (!m) {
    throw new ValidationError(`file name "${fileName}" is not of the form store_<NNNN>_<YYYY-MM-DD>.json`);
  }
  const storeId = m[1] as string;
  const date = m[2] as string;
  if (!isCalendarDate(date))
    throw new ValidationError(`file name "${fileName}" names ${date}, which is not a calendar date`);
  return { storeId, date };
}

/** Like parseStoreFileName, for a full key that must sit directly under `uploads/`. */
export function parseUploadKey(key: string): StoreDay {
  if (!key.startsWith('uploads/') || key.indexOf('/', 'uploads/'.length) !== -1) {
    throw new ValidationError(`key "${key}" is not a store file directly under uploads/`);
  }
  return parseStoreFileName(key.slice('uploads/'.length));
}

/** Hive-partitioned Parquet of a store-day: one object per store-day, replaced by a corrected upload. */
export function processedKey({ storeId, date }: StoreDay): string {
  return `processed/sales/date=${date}/store=${storeId}/store_${storeId}_${date}.parquet`;
}

/** Where the rejected records of a store-day go, each with its reasons. */
export function rejectedKey({ storeId, date }: StoreDay): string {
  return `rejected/date=${date}/store=${storeId}/store_${storeId}_${date}.rejected.json`;
}

/** Where a file that names no store-day (misnamed) is rejected whole. */
export function unattributedRejectedKey(sourceKey: string): string {
  const safe = sourceKey.replace(/^uploads\//, '').replace(/[^A-Za-z0-9._=-]/g, '_');
  return `rejected/unattributed/${safe}.rejected.json`;
}

/** The files of one revision of a day's analysis. */
export type AnalysisFile = 'facts.json' | 'anomalies.json' | 'trends.json' | 'insights.json';

/**
 * `analysis/date=<date>/revision=<revision>/<file>`: what a daily-analysis step writes for the next ones (states pass
 * keys, not data sets). Each revision has its own folder, so that a re-analysis running beside the analysis it
 * supersedes never reads the other's files.
 */
export function analysisKey(date: string, revision: number, file: AnalysisFile): string {
  return `analysis/date=${date}/revision=${revision}/${file}`;
}

/** DynamoDB keys of the single table (`shared/DESIGN.md`, Storage). */
export interface TableKey {
  PK: string;
  SK: string;
}
export interface IndexedTableKey extends TableKey {
  GSI1PK: string;
  GSI1SK: string;
}

/** The sort key of every dated item (`DATE#<date>`): a range of dates is a range of these keys. */
export function dateSortKey(date: string): string {
  return `DATE#${date}`;
}

export function storeSummaryKey({ storeId, date }: StoreDay): IndexedTableKey {
  return { PK: `STORE#${storeId}`, SK: dateSortKey(date), GSI1PK: dateSortKey(date), GSI1SK: `STORE#${storeId}` };
}

export function companyMetricsKey(date: string): IndexedTableKey {
  return { PK: 'COMPANY', SK: dateSortKey(date), GSI1PK: dateSortKey(date), GSI1SK: 'COMPANY' };
}

export function productMetricsKey(date: string): TableKey {
  return { PK: 'PRODUCTS', SK: dateSortKey(date) };
}

export function insightsKey(date: string): TableKey {
  return { PK: 'INSIGHTS', SK: dateSortKey(date) };
}

export function dayStatusKey(date: string): TableKey {
  return { PK: `DAY#${date}`, SK: 'STATUS' };
}

/** The day's data-quality finding over the lake (`DAY#<date> / QUALITY`), written by the daily analysis. */
export function dayQualityKey(date: string): TableKey {
  return { PK: `DAY#${date}`, SK: 'QUALITY' };
}

/** The sort key prefix of the day's upload quality records: `DAY#<date>` then `UPLOAD#…` (uploadQualityKey). */
export const UPLOAD_QUALITY_PREFIX = 'UPLOAD#';

/**
 * One upload's quality record (`DAY#<date> / UPLOAD#<store>#<uploaded_at>#<etag>`): in the day's partition with its
 * status and lake finding, so that `GET /quality` is one Query; one item per version of a file, so a correction
 * keeps the record of the version it replaced.
 */
export function uploadQualityKey(storeId: string, date: string, uploadedAt: string, etag: string): TableKey {
  return { PK: `DAY#${date}`, SK: `${UPLOAD_QUALITY_PREFIX}${storeId}#${uploadedAt}#${etag}` };
}

/**
 * A store's entry in the store index (`STORES` / `STORE#<id>`): one item per store with its last reported day, so
 * that the list of stores is one Query of one partition rather than a scan of every store's partition.
 */
export function storeIndexKey(storeId: string): TableKey {
  return { PK: 'STORES', SK: `STORE#${storeId}` };
}

/** Where a day's report is kept (`reports/date=<date>/report.txt` and `.html`): replaced by a re-analysis. */
export function reportKeys(date: string): { text: string; html: string } {
  return { text: `reports/date=${date}/report.txt`, html: `reports/date=${date}/report.html` };
}

/** The lake's prefix: every Parquet partition is under it (`processedKey`). */
export const LAKE_PREFIX = 'processed/sales/';

/** A lake object's partition values, from its key; undefined for a key that is not a partition's Parquet file. */
export function parseLakeKey(key: string): StoreDay | undefined {
  const match = /^processed\/sales\/date=(\d{4}-\d{2}-\d{2})\/store=([^/]+)\/[^/]+\.parquet$/.exec(key);
  return match ? { date: match[1] as string, storeId: match[2] as string } : undefined;
}

/** An analytics job's record: `JOB#<id>` / `JOB`. */
export function analyticsJobKey(jobId: string): TableKey {
  return { PK: `JOB#${jobId}`, SK: 'JOB' };
}

/** A cached analytics result: `CACHE#<hash of operation, parameters, engine and lake version>` / `RESULT`. */
export function analyticsCacheKey(hash: string): TableKey {
  return { PK: `CACHE#${hash}`, SK: 'RESULT' };
}

/** Where an analytics job's result is kept (`jobs/<id>/result.json`), whatever its size. */
export function analyticsResultKey(jobId: string): string {
  return `jobs/${jobId}/result.json`;
}
