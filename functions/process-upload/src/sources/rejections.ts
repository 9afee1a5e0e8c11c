import { putObject } from '@tillflow/aws';
import type { RejectedLine, RejectReason } from '@tillflow/core';

/**
 * The most rejected records a CSV upload's rejection report lists one by one. A report of a million bad lines would
 * be larger than the upload and no one reads past the first screens: beyond this the report counts them (in total
 * and by field), so nothing rejected goes uncounted.
 */
export const MAX_LISTED_REJECTIONS = 1_000;

/** The rejection report of a CSV upload: every rejected line counted, the first MAX_LISTED_REJECTIONS listed. */
export interface CsvRejectionReport {
  source_key: string;
  source_etag: string;
  /** Why the whole file was rejected (then `lines` and `rejected` are 0). */
  reason?: string;
  lines: number;
  rejected: number;
  /** How many rejected lines have a reason about each field (a line with two bad fields counts under both). */
  reasons_by_field: Record<string, number>;
  /** How many of the rejected lines `records` lists (the first ones, in file order). */
  listed: number;
  records: RejectedLine[];
}

/** Collects the rejected lines of one upload as they are found, counting all and keeping the first few. */
export class Rejections {
  count = 0;
  readonly byField: Record<string, number> = {};
  readonly records: RejectedLine[] = [];

  add(line: number, record: unknown, reasons: RejectReason[]): void {
    this.count++;
    for (const field of new Set(reasons.map((r) => r.field))) this.byField[field] = (this.byField[field] ?? 0) + 1;
    if (this.records.length < MAX_LISTED_REJECTIONS) this.records.push({ line, record, reasons });
  }

  /** The report of these rejections among `lines` lines of `source`. */
  report(source: { sourceKey: string; etag: string }, lines: number): CsvRejectionReport {
    return {
      source_key: source.sourceKey,
      source_etag: source.etag,
      lines,
      rejected: this.count,
      reasons_by_field: this.byField,
      listed: this.records.length,
      records: this.records,
    };
  }
}

/** A CSV record as the rejection report shows it: each value under its (trimmed) header, extra values numbered. */
export function recordObject(header: readonly string[], fields: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  fields.forEach((value, i) => {
    const name = header[i]?.replace(/^\uFEFF/, '').trim() || `(column ${i + 1})`;
    out[name] = value;
  });
  return out;
}

/** Writes a rejection report (indented: a person reads it to correct the export). */
export function putRejectionReport(bucket: string, key: string, report: CsvRejectionReport): Promise<{ etag: string }> {
  return putObject(bucket, key, JSON.stringify(report, null, 1), 'application/json');
}

/** The report of a file rejected whole, with the reason. */
export function wholeFileReport(source: { sourceKey: string; etag: string }, reason: string): CsvRejectionReport {
  return {
    source_key: source.sourceKey,
    source_etag: source.etag,
    reason,
    lines: 0,
    rejected: 0,
    reasons_by_field: {},
    listed: 0,
    records: [],
  };
}
