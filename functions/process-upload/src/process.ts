import { deleteObject, getObjectStream, putObject } from '@tillflow/aws';
import { convertStoreFile } from '@tillflow/columnar';
import {
  parseUploadKey,
  processedKey,
  rejectedKey,
  rejectionReport,
  type StoreDay,
  type StoreDayFigures,
  type UploadQuality,
  unattributedRejectedKey,
  uploadQuality,
  ValidationError,
} from '@tillflow/core';
import type { UploadEvent } from './event';
import { rejectedByField } from './metrics';
import { putRejectionReport, putWholeRejection } from './sources/rejections';

/** What every outcome carries: keys and counts, never rows (the result travels through Step Functions, 256 KB cap). */
interface UploadCounts {
  sourceKey: string;
  /** The ETag of the content actually read (the newest, if the file was replaced meanwhile). */
  etag: string;
  lines: number;
  accepted: number;
  rejected: number;
  rejectedKey: string;
  /** Rejected lines by the field at fault (see `rejectedByField`), for the metrics. */
  rejectedByField?: Record<string, number>;
  /** The upload's data quality (uploadQuality, packages/core/src/quality.ts), which write-metrics records. */
  quality: UploadQuality;
}

/**
 * The file was converted: its Parquet under `processedKey`, and its store-day figures, computed in the same pass
 * (bounded: ten products whose names are at most 256 characters). `rejectedKey` when some lines were rejected.
 */
export interface ProcessedUpload extends Omit<UploadCounts, 'rejectedKey'>, StoreDay {
  status: 'processed';
  processedKey: string;
  rejectedKey?: string;
  figures: StoreDayFigures;
}

/** The file was rejected whole (misnamed, too large, unreadable, or no valid line): the report says why. */
export interface RejectedUpload extends UploadCounts, Partial<StoreDay> {
  status: 'rejected';
  reason: string;
}

/** process-upload's result. */
export type UploadResult = ProcessedUpload | RejectedUpload;

/**
 * Converts one uploaded store file (see convertStoreFile): everything is read and checked before anything is
 * written, then the Parquet, the rejection report (or the removal of an older one) are stored.
 */
export async function processUpload(event: UploadEvent, bucket: string, maxBytes: number): Promise<UploadResult> {
  let storeDay: StoreDay;
  try {
    storeDay = parseUploadKey(event.key);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return rejectWhole(bucket, event, unattributedRejectedKey(event.key), error.message);
  }
  const rejectKey = rejectedKey(storeDay);
  if (event.size !== undefined && event.size > maxBytes) {
    // Refused before reading: the limit is what an operator chose to take (MAX_UPLOAD_BYTES).
    const reason = `the file is ${event.size} bytes, over the limit of ${maxBytes}`;
    return { ...(await rejectWhole(bucket, event, rejectKey, reason)), ...storeDay };
  }
  const source = event.bucket || bucket;
  let etag = event.etag;
  let opened = false;
  const open = async function* (): AsyncIterable<Uint8Array> {
    // The first pass reads the newest version; a second pass (rare) must read that same version.
    const object = await getObjectStream(source, event.key, opened ? etag : undefined);
    if (!opened) etag = object.etag || event.etag;
    opened = true;
    yield* object.body;
  };
  const result = await convertStoreFile(open, storeDay, { maxBytes });
  if (result.status === 'rejected') {
    return { ...(await rejectWhole(bucket, { ...event, etag }, rejectKey, result.reason)), ...storeDay };
  }
  const counts = {
    sourceKey: event.key,
    etag,
    lines: result.lines,
    accepted: result.accepted,
    rejected: result.log.total,
    ...(result.log.total > 0 ? { rejectedByField: rejectedByField(result.log.reasons()) } : {}),
  };
  const quality = uploadQuality(counts, result.log.reasons(), result.findings);
  if (result.log.total > 0) {
    await putRejectionReport(bucket, rejectKey, rejectionReport({ key: event.key, etag }, result, result.log));
  } else {
    // A corrected re-upload with no bad lines must not leave the previous version's rejections behind.
    await deleteObject(bucket, rejectKey);
  }
  if (!result.parquet) {
    return {
      status: 'rejected',
      ...counts,
      ...storeDay,
      rejectedKey: rejectKey,
      reason: 'no line of the file is valid',
      quality: { ...quality, reason: 'no line of the file is valid' },
    };
  }
  const parquetKey = processedKey(storeDay);
  await putObject(bucket, parquetKey, result.parquet, 'application/vnd.apache.parquet');
  return {
    status: 'processed',
    ...counts,
    ...storeDay,
    processedKey: parquetKey,
    ...(result.log.total > 0 ? { rejectedKey: rejectKey } : {}),
    figures: result.figures,
    quality,
  };
}

async function rejectWhole(bucket: string, event: UploadEvent, key: string, reason: string): Promise<RejectedUpload> {
  await putWholeRejection(bucket, key, { sourceKey: event.key, etag: event.etag }, reason);
  return {
    status: 'rejected',
    sourceKey: event.key,
    etag: event.etag,
    lines: 0,
    accepted: 0,
    rejected: 0,
    rejectedKey: key,
    reason,
    quality: uploadQuality({ lines: 0, accepted: 0, rejected: 0, reason }, []),
  };
}
