import { deleteObject, getObject, putObject } from '@tillflow/aws';
import { rowsToParquet } from '@tillflow/columnar';
import {
  MAX_STORE_FILE_BYTES,
  parseUploadKey,
  processedKey,
  RejectedFileError,
  type RejectedLine,
  rejectedKey,
  type StoreDay,
  unattributedRejectedKey,
  ValidationError,
  validateStoreFile,
} from '@tillflow/core';
import type { UploadEvent } from './event';

/** Keys and counts, never data: the result travels through Step Functions (256 KB cap). */
export interface UploadResult {
  status: 'processed' | 'rejected';
  sourceKey: string;
  /** The ETag of the content actually read (the newest, if the file was replaced meanwhile). */
  etag: string;
  storeId?: string;
  date?: string;
  lines: number;
  accepted: number;
  rejected: number;
  processedKey?: string;
  rejectedKey?: string;
  /** Why the whole file was rejected. */
  reason?: string;
}

/** The rejected file's body: enough for a store to correct its export without reading our code. */
interface RejectionReport {
  source_key: string;
  source_etag: string;
  reason?: string;
  lines: number;
  rejected: number;
  records: RejectedLine[];
}

/**
 * Indented, unlike the analysis files: a store reads this one to correct its export. The counts ride along as object
 * metadata, so that `GET /files?prefix=rejected` tells each file's rejected lines with a HEAD instead of a read.
 */
function putRejection(bucket: string, key: string, report: RejectionReport): Promise<{ etag: string }> {
  return putObject(bucket, key, JSON.stringify(report, null, 1), 'application/json', rejectionMetadata(report));
}

/** `rejected-lines`, `lines`, and `whole-file: true` when the file was refused whole (its reason is in the body). */
function rejectionMetadata(report: Pick<RejectionReport, 'lines' | 'rejected' | 'reason'>): Record<string, string> {
  return {
    'rejected-lines': String(report.rejected),
    lines: String(report.lines),
    'whole-file': String(report.reason !== undefined),
  };
}

export async function processUpload(event: UploadEvent, bucket: string): Promise<UploadResult> {
  let storeDay: StoreDay;
  try {
    storeDay = parseUploadKey(event.key);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return rejectWhole(bucket, event, unattributedRejectedKey(event.key), error.message);
  }

  if (event.size !== undefined && event.size > MAX_STORE_FILE_BYTES) {
    // Refused before reading: a file this size is not a store-day and would only exhaust the function's memory.
    const reason = `the file is ${event.size} bytes, over the limit of ${MAX_STORE_FILE_BYTES}`;
    return { ...(await rejectWhole(bucket, event, rejectedKey(storeDay), reason)), ...storeDay };
  }
  const object = await getObject(event.bucket || bucket, event.key);
  const source = { sourceKey: event.key, etag: object.etag || event.etag };
  let validated: ReturnType<typeof validateStoreFile>;
  try {
    validated = validateStoreFile(object.body, storeDay);
  } catch (error) {
    if (!(error instanceof RejectedFileError)) throw error;
    return {
      ...(await rejectWhole(bucket, { ...event, etag: source.etag }, rejectedKey(storeDay), error.message)),
      ...storeDay,
    };
  }

  const { rows, rejected, lines } = validated;
  const rejectKey = rejectedKey(storeDay);
  if (rejected.length > 0) {
    const report: RejectionReport = {
      source_key: event.key,
      source_etag: source.etag,
      lines,
      rejected: rejected.length,
      records: rejected,
    };
    await putRejection(bucket, rejectKey, report);
  } else {
    // A corrected re-upload with no bad lines must not leave the previous version's rejections behind.
    await deleteObject(bucket, rejectKey);
  }
  if (rows.length === 0) {
    return {
      status: 'rejected',
      ...source,
      ...storeDay,
      lines,
      accepted: 0,
      rejected: rejected.length,
      rejectedKey: rejectKey,
      reason: 'no line of the file is valid',
    };
  }
  const parquetKey = processedKey(storeDay);
  await putObject(bucket, parquetKey, rowsToParquet(rows), 'application/vnd.apache.parquet');
  return {
    status: 'processed',
    ...source,
    ...storeDay,
    lines,
    accepted: rows.length,
    rejected: rejected.length,
    processedKey: parquetKey,
    ...(rejected.length > 0 ? { rejectedKey: rejectKey } : {}),
  };
}

async function rejectWhole(bucket: string, event: UploadEvent, key: string, reason: string): Promise<UploadResult> {
  const report: RejectionReport = {
    source_key: event.key,
    source_etag: event.etag,
    reason,
    lines: 0,
    rejected: 0,
    records: [],
  };
  await putRejection(bucket, key, report);
  return {
    status: 'rejected',
    sourceKey: event.key,
    etag: event.etag,
    lines: 0,
    accepted: 0,
    rejected: 0,
    rejectedKey: key,
    reason,
  };
}
