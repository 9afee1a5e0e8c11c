import { putObject } from '@tillflow/aws';
import { RejectionLog, type RejectionReport, rejectionReport } from '@tillflow/core';

/**
 * Every source's rejection report (store JSON in process.ts, CSV here) has the store file's shape (RejectionReport, packages/core/src/store-file.ts): the
 * same counts by field and rule, the same cap on the lines shown in full, the same object metadata, so that the API,
 * the dashboard and an operator read a rejected CSV line exactly as a rejected JSON line.
 */

/** A CSV record as the rejection report shows it: each value under its (trimmed) header, extra values numbered. */
export function recordObject(header: readonly string[], fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  fields.forEach((value, i) => {
    const name = header[i]?.replace(/^\uFEFF/, '').trim() || `(column ${i + 1})`;
    out[name] = value;
  });
  return out;
}

/**
 * Writes a rejection report, indented (a person reads it to correct the export), with the counts as object metadata
 * (`rejected-lines`, `lines`, `whole-file`), for `GET /files` to tell each file's rejected lines with a HEAD.
 */
export function putRejectionReport(bucket: string, key: string, report: RejectionReport): Promise<{ etag: string }> {
  return putObject(bucket, key, JSON.stringify(report, null, 1), 'application/json', {
    'rejected-lines': String(report.rejected),
    lines: String(report.lines),
    'whole-file': String(report.reason !== undefined),
  });
}

/** The report of `log` for the upload `source` of `lines` lines, `accepted` of them taken. */
export function csvRejectionReport(
  source: { sourceKey: string; etag: string },
  counts: { lines: number; accepted: number },
  log: RejectionLog,
  reason?: string,
): RejectionReport {
  return rejectionReport({ key: source.sourceKey, etag: source.etag }, counts, log, reason);
}

/** The report of a file rejected whole, with `reason` and no lines, written to `key`. */
export function putWholeRejection(
  bucket: string,
  key: string,
  source: { sourceKey: string; etag: string },
  reason: string,
): Promise<{ etag: string }> {
  return putRejectionReport(
    bucket,
    key,
    csvRejectionReport(source, { lines: 0, accepted: 0 }, new RejectionLog(), reason),
  );
}
