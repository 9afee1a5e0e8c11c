import { deleteObject, getObject, getObjectStream, putObject } from '@tillflow/aws';
import { rowsToParquet } from '@tillflow/columnar';
import {
  type CompiledMapping,
  checkMappedHeader,
  compileMapping,
  mappingKey,
  NotFoundError,
  processedKey,
  RejectedFileError,
  type RejectedLine,
  RejectionLog,
  rejectedKey,
  STORE_LINE_FIELDS,
  type StoreDay,
  type StoreDayFigures,
  summarizeStoreDay,
  type UploadQuality,
  uploadFindings,
  uploadQuality,
  validateRecords,
} from '@tillflow/core';
import type { UploadEvent } from '../event';
import { openCsv } from './csv';
import { csvRejectionReport, putRejectionReport, putWholeRejection, recordObject } from './rejections';

/**
 * What process-upload returns for a mapped POS export: the shape of a store file's result (the export is a store-day
 * like one, and the store-day steps take it from here), with its source.
 */
export type MappedUploadResult =
  | {
      status: 'processed';
      source: string;
      sourceKey: string;
      etag: string;
      storeId: string;
      date: string;
      lines: number;
      accepted: number;
      rejected: number;
      processedKey: string;
      rejectedKey?: string;
      /** The store-day's figures (the store file path computes the same in its pass), for write-metrics. */
      figures: StoreDayFigures;
      /** The upload's data quality, as a store file's. */
      quality: UploadQuality;
    }
  | {
      status: 'rejected';
      source: string;
      sourceKey: string;
      etag: string;
      storeId: string;
      date: string;
      lines: number;
      accepted: 0;
      rejected: number;
      rejectedKey: string;
      reason: string;
      quality: UploadQuality;
    };

/**
 * The largest mapped export taken (or MAX_UPLOAD_BYTES, if lower): its mapped items are validated together (one
 * payment method per transaction spans lines), so they are held; a store-day of a large store is a few MB.
 */
export const MAX_MAPPED_EXPORT_BYTES = 64 * 1024 * 1024;

/**
 * The mapped-export adapter: reads the source's mapping from `mappings/<source>.json`, streams the CSV, turns each
 * record into a store line item with the mapping, then validates the items with exactly the store file's rules
 * (validateRecords) for the store-day the file name gives. Its Parquet and rejections go where a store file's of that
 * store-day go, so a store that exports from another POS is, from here on, a store like the others.
 */
export async function processMapped(
  event: UploadEvent,
  bucket: string,
  source: string,
  storeDay: StoreDay,
  maxUploadBytes: number,
): Promise<MappedUploadResult> {
  const maxBytes = Math.min(maxUploadBytes, MAX_MAPPED_EXPORT_BYTES);
  const rejectKey = rejectedKey(storeDay);
  const rejectWhole = async (etag: string, reason: string): Promise<MappedUploadResult> => {
    await putWholeRejection(bucket, rejectKey, { sourceKey: event.key, etag }, reason);
    const base = { source, sourceKey: event.key, etag, ...storeDay };
    const quality = uploadQuality({ lines: 0, accepted: 0, rejected: 0, reason }, []);
    return { status: 'rejected', ...base, lines: 0, accepted: 0, rejected: 0, rejectedKey: rejectKey, reason, quality };
  };
  if (event.size !== undefined && event.size > maxBytes) {
    return rejectWhole(event.etag, `the file is ${event.size} bytes, over the limit of ${maxBytes}`);
  }
  let mapping: CompiledMapping;
  try {
    mapping = await loadMapping(bucket, source);
  } catch (error) {
    if (!(error instanceof RejectedFileError)) throw error;
    return rejectWhole(event.etag, error.message);
  }
  const object = await getObjectStream(event.bucket || bucket, event.key);
  const src = { sourceKey: event.key, etag: object.etag || event.etag };
  let read: Awaited<ReturnType<typeof readExport>>;
  try {
    read = await readExport(object.body, mapping, storeDay);
  } catch (error) {
    if (!(error instanceof RejectedFileError)) throw error;
    return rejectWhole(src.etag, error.message);
  }
  const { rows, rejections, lines } = read;
  const base = { source, ...src, ...storeDay };
  const counts = { lines, accepted: rows.length, rejected: rejections.total };
  if (rejections.total > 0)
    await putRejectionReport(bucket, rejectKey, csvRejectionReport(src, { lines, accepted: rows.length }, rejections));
  else await deleteObject(bucket, rejectKey);
  if (rows.length === 0) {
    const reason = 'no line of the file is valid';
    return {
      status: 'rejected',
      ...base,
      lines,
      accepted: 0,
      rejected: rejections.total,
      rejectedKey: rejectKey,
      reason,
      quality: uploadQuality({ ...counts, reason }, rejections.reasons()),
    };
  }
  const parquetKey = processedKey(storeDay);
  await putObject(bucket, parquetKey, rowsToParquet(rows), 'application/vnd.apache.parquet');
  return {
    status: 'processed',
    ...base,
    lines,
    accepted: rows.length,
    rejected: rejections.total,
    processedKey: parquetKey,
    ...(rejections.total > 0 ? { rejectedKey: rejectKey } : {}),
    figures: summarizeStoreDay(storeDay.storeId, storeDay.date, rows),
    quality: uploadQuality(counts, rejections.reasons(), uploadFindings(storeDay.storeId, rows)),
  };
}

/** The compiled mapping of `source`; RejectedFileError when there is none or it is not valid. */
async function loadMapping(bucket: string, source: string): Promise<CompiledMapping> {
  const key = mappingKey(source);
  let text: string;
  try {
    text = new TextDecoder().decode((await getObject(bucket, key)).body);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    throw new RejectedFileError(`there is no mapping for source ${source}: put one at s3://${bucket}/${key}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RejectedFileError(`the mapping ${key} is not valid JSON: ${(error as Error).message}`);
  }
  return compileMapping(value, source);
}

/**
 * Every record of the export: mapped to a line item, or rejected with the mapping's reasons (an unreadable number,
 * date or payment code); then the mapped items through the store file rules, their line numbers and records put back
 * to the CSV's.
 */
async function readExport(body: Parameters<typeof openCsv>[0], mapping: CompiledMapping, storeDay: StoreDay) {
  const csv = await openCsv(body, mapping.delimiter);
  checkMappedHeader(csv.header, mapping);
  const header = csv.header.map((h) => h.replace(/^\uFEFF/, '').trim());
  const items: Record<string, unknown>[] = [];
  const origin: { line: number; record: Record<string, string> }[] = [];
  const early: RejectedLine[] = [];
  let lines = 0;
  for await (const { fields, line } of csv.records) {
    lines = line;
    const record = recordObject(header, fields);
    if (fields.length !== header.length) {
      const message = `has ${fields.length} fields where the header has ${header.length}`;
      early.push({ line, record, reasons: [{ field: '(record)', rule: 'invalid', message }] });
      continue;
    }
    const item = mapping.toLineItem(record);
    if (Array.isArray(item)) early.push({ line, record, reasons: item });
    else {
      items.push(item);
      origin.push({ line, record });
    }
  }
  if (lines === 0) throw new RejectedFileError('the file has a header but no lines');
  const validated = validateRecords(items, storeDay);
  const late = validated.rejected.map((r) => {
    const o = origin[r.line - 1] as { line: number; record: Record<string, string> };
    return { line: o.line, record: o.record, reasons: r.reasons };
  });
  const rejections = new RejectionLog(undefined, new Set([...header, ...STORE_LINE_FIELDS]));
  for (const r of [...early, ...late].sort((a, b) => a.line - b.line)) rejections.add(r);
  return { rows: validated.rows, rejections, lines };
}
