import { Compile, type Validator } from 'typebox/compile';
import type { CanonicalRow } from './canonical-row.schema';
import { parseTimestamp } from './dates';
import { ValidationError } from './errors';
import type { StoreDay } from './keys';
import { toCents } from './money';
import { StoreLineItem } from './store-file.schema';

/** One reason a record was rejected: the field it concerns (`(record)` for the record as a whole) and what is wrong. */
export interface RejectReason {
  field: string;
  message: string;
}

/** A rejected record: its 1-based position in the file, the record as it came, and every reason. */
export interface RejectedLine {
  line: number;
  record: unknown;
  reasons: RejectReason[];
}

export interface ValidatedFile {
  rows: CanonicalRow[];
  rejected: RejectedLine[];
  /** Records in the file: always rows.length + rejected.length. */
  lines: number;
}

/** A file that cannot be taken at all (unreadable, empty, too large, misnamed): it is rejected whole, with `message`. */
export class RejectedFileError extends ValidationError {
  override readonly name = 'RejectedFileError' as const;
}

/** Upper bound on a store file's size; a store-day of a large store is a few MB. */
export const MAX_STORE_FILE_BYTES = 64 * 1024 * 1024;

const checkLine = Compile(StoreLineItem);
/**
 * One compiled check per field, for the reasons of a line that failed `checkLine`: asking each field for its own
 * first error gives every field's reason however many fields are wrong, where the whole record's error list stops at
 * TypeBox's `maxErrors` setting (8 by default, and a line with many unknown fields would fill it).
 */
const checkField = new Map(Object.entries(StoreLineItem.properties).map(([field, schema]) => [field, Compile(schema)]));
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes and validates a store daily file. Every record ends up either as a canonical row or as a rejected line with
 * its reasons; nothing is dropped. Throws RejectedFileError when the file as a whole cannot be taken.
 */
export function validateStoreFile(body: Uint8Array | string, storeDay: StoreDay): ValidatedFile {
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (size === 0) throw new RejectedFileError('the file is empty');
  if (size > MAX_STORE_FILE_BYTES) {
    throw new RejectedFileError(`the file is ${size} bytes, over the limit of ${MAX_STORE_FILE_BYTES}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof body === 'string' ? body : utf8.decode(body));
  } catch (error) {
    const what = error instanceof SyntaxError ? 'valid JSON' : 'UTF-8 text';
    throw new RejectedFileError(`the file is not ${what}: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new RejectedFileError('the file is not a JSON array of line items');
  if (parsed.length === 0) throw new RejectedFileError('the file holds no line items (an empty array)');
  return validateRecords(parsed, storeDay);
}

/** Validates already-decoded records (see validateStoreFile). */
export function validateRecords(records: readonly unknown[], storeDay: StoreDay): ValidatedFile {
  const candidates: { line: number; row: CanonicalRow }[] = [];
  const rejected: RejectedLine[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const result = toRow(record, storeDay);
    if (Array.isArray(result)) rejected.push({ line: i + 1, record, reasons: result });
    else candidates.push({ line: i + 1, row: result });
  }

  // One payment method per transaction: when a transaction's lines disagree no line can be trusted, so all go.
  const methods = new Map<string, string>();
  const mixed = new Set<string>();
  for (const { row } of candidates) {
    const seen = methods.get(row.transaction_id);
    if (seen === undefined) methods.set(row.transaction_id, row.payment_method);
    else if (seen !== row.payment_method) mixed.add(row.transaction_id);
  }
  const rows: CanonicalRow[] = [];
  if (mixed.size === 0) {
    for (const c of candidates) rows.push(c.row);
  } else {
    for (const { line, row } of candidates) {
      if (!mixed.has(row.transaction_id)) {
        rows.push(row);
        continue;
      }
      rejected.push({
        line,
        record: records[line - 1],
        reasons: [
          { field: 'payment_method', message: `transaction ${row.transaction_id} has more than one payment method` },
        ],
      });
    }
    rejected.sort((a, b) => a.line - b.line);
  }
  return { rows, rejected, lines: records.length };
}

function toRow(record: unknown, { storeId, date }: StoreDay): CanonicalRow | RejectReason[] {
  if (!checkLine.Check(record)) return schemaReasons(record);
  const reasons: RejectReason[] = [];
  const ts = parseTimestamp(record.transaction_timestamp);
  if (!ts) {
    reasons.push({
      field: 'transaction_timestamp',
      message: 'must be an ISO 8601 date-time with an offset (Z or ±hh:mm)',
    });
  } else if (ts.localDate !== date) {
    reasons.push({
      field: 'transaction_timestamp',
      message: `local date ${ts.localDate} is not the file's date ${date}`,
    });
  }
  const unit = toCents(record.unit_price);
  const total = toCents(record.line_total);
  const discount = toCents(record.discount_amount);
  if (unit === undefined) reasons.push({ field: 'unit_price', message: 'must have at most two decimals' });
  if (total === undefined) reasons.push({ field: 'line_total', message: 'must have at most two decimals' });
  if (discount === undefined) reasons.push({ field: 'discount_amount', message: 'must have at most two decimals' });
  if (unit !== undefined && total !== undefined && Math.abs(total - unit * record.quantity) > 1) {
    reasons.push({
      field: 'line_total',
      message: `${record.line_total} is not unit_price × quantity (${record.unit_price} × ${record.quantity})`,
    });
  }
  if (discount !== undefined && total !== undefined && discount > total) {
    reasons.push({
      field: 'discount_amount',
      message: `${record.discount_amount} exceeds line_total ${record.line_total}`,
    });
  }
  if (reasons.length > 0 || !ts) return reasons;
  return {
    store_id: storeId,
    business_date: date,
    transaction_id: record.transaction_id,
    timestamp_ms: ts.epochMs,
    utc_offset_minutes: ts.offsetMinutes,
    item_sku: record.item_sku,
    item_name: record.item_name,
    quantity: record.quantity,
    unit_price_cents: unit as number,
    line_total_cents: total as number,
    discount_cents: discount as number,
    payment_method: record.payment_method,
    customer_id: record.customer_id,
  };
}

function schemaReasons(record: unknown): RejectReason[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return [{ field: '(record)', message: 'must be a JSON object' }];
  }
  const fields = record as Record<string, unknown>;
  const reasons: RejectReason[] = [];
  for (const field of Object.keys(fields)) {
    if (!checkField.has(field)) reasons.push({ field, message: 'is not a field of a store line item' });
  }
  for (const [field, check] of checkField) {
    if (!(field in fields)) reasons.push({ field, message: 'is required' });
    else if (!check.Check(fields[field])) reasons.push({ field, message: describe(check, fields[field]) });
  }
  return reasons;
}

function describe(check: Validator, value: unknown): string {
  const error = check.Errors(value)[0];
  if (error?.keyword === 'enum') return `must be one of ${error.params.allowedValues.join(', ')}`;
  return error?.message ?? 'is not valid';
}
