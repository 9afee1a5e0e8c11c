import { Compile, type Validator } from 'typebox/compile';
import type { CanonicalRow } from './canonical-row.schema';
import { parseTimestamp } from './dates';
import { ValidationError } from './errors';
import { ArrayScanError, JsonArrayScanner, type ScannedElement } from './json-array-scanner';
import type { StoreDay } from './keys';
import { toCents } from './money';
import { MAX_TEXT_LENGTH, STORE_LINE_FIELDS, StoreLineItem } from './store-file.schema';
import { StoreLineParser } from './store-line-parser';

/**
 * The rule a reason breaks: what the rejection report counts lines by. Schema rules carry TypeBox's keyword
 * (`type`, `enum`, `minimum`, `maximum`, `min_length`), the others are ours.
 */
export type RejectRule =
  | 'not_object'
  | 'unknown_field'
  | 'required'
  | 'type'
  | 'enum'
  | 'minimum'
  | 'maximum'
  | 'min_length'
  | 'max_length'
  | 'unicode'
  | 'timestamp'
  | 'timestamp_date'
  | 'two_decimals'
  | 'line_total'
  | 'discount'
  | 'mixed_payment'
  | 'not_json'
  | 'not_utf8'
  | 'nesting'
  | 'line_size'
  | 'too_many_reasons'
  | 'invalid';

/**
 * One reason a record was rejected: the field it concerns (its name exactly as the file wrote it, `(record)` for the
 * record as a whole), the rule it breaks, and what is wrong.
 */
export interface RejectReason {
  field: string;
  rule: RejectRule;
  message: string;
}

/**
 * A rejected record: its 1-based position in the array, every reason, and the record as it came (`record`, when it
 * could be parsed) or its first bytes as text (`excerpt`, when it could not: too deep, too long, not JSON, not UTF-8).
 */
export interface RejectedLine {
  line: number;
  record?: unknown;
  excerpt?: string;
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

/**
 * The bounds every store file is held to, besides the field rules of StoreLineItem and MAX_TEXT_LENGTH
 * (docs/architecture.md, "Store file rules"):
 * - `maxDepth`: a line item is an object of scalars (depth 1); a line nested deeper than this is rejected without
 *   being parsed (so no depth can exhaust the stack);
 * - `maxLineBytes`: one line item's JSON text; a longer line is rejected without being kept in memory;
 * - `maxReasonsPerLine`: reasons listed for one line (a line of 10,000 unknown fields lists this many, then a count);
 * - `reportLines`: rejected lines the rejection report shows in full; the rest are counted by reason.
 */
export const STORE_FILE_LIMITS = {
  maxDepth: 8,
  maxLineBytes: 64 * 1024,
  maxReasonsPerLine: 20,
  reportLines: 100,
} as const;

/**
 * The default upper bound on a store file's size (process-upload's `MAX_UPLOAD_BYTES`): 2 GiB. Files are streamed,
 * so the bound is about time (a 1 GB file converts in well under the function's timeout), not memory.
 */
export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 * 1024 * 1024;

/** The longest field name or value a reason quotes; longer ones are cut with "…". */
const MAX_QUOTED = 100;

const checkLine = Compile(StoreLineItem);
/**
 * One compiled check per field, for the reasons of a line that failed `checkLine`: asking each field for its own
 * first error gives every field's reason however many fields are wrong.
 */
const checkField = new Map(Object.entries(StoreLineItem.properties).map(([field, schema]) => [field, Compile(schema)]));
const TEXT_FIELDS = Object.keys(MAX_TEXT_LENGTH) as (keyof typeof MAX_TEXT_LENGTH)[];
const KNOWN_FIELDS: ReadonlySet<string> = new Set(STORE_LINE_FIELDS);
const utf8 = new TextDecoder('utf-8', { fatal: true });
const lenient = new TextDecoder('utf-8');

function quote(text: string): string {
  const cut = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  return cut.isWellFormed() ? cut : cut.toWellFormed();
}

/** The rejected line's reasons, at most STORE_FILE_LIMITS.maxReasonsPerLine of them (the last one counting the rest). */
function capped(reasons: RejectReason[]): RejectReason[] {
  const max = STORE_FILE_LIMITS.maxReasonsPerLine;
  if (reasons.length <= max) return reasons;
  const kept = reasons.slice(0, max - 1);
  kept.push({
    field: '(record)',
    rule: 'too_many_reasons',
    message: `and ${reasons.length - kept.length} more reasons`,
  });
  return kept;
}

/**
 * Checks one decoded record against every rule of a line item. Returns the canonical row, or every reason the record
 * breaks: the schema's, the text bounds, well-formed Unicode, and the rules across fields for the fields that are
 * themselves valid (so a line with a schema fault and a timestamp without offset gets both reasons).
 */
export function checkLineItem(record: unknown, { storeId, date }: StoreDay): CanonicalRow | RejectReason[] {
  if (!checkLine.Check(record)) return capped(lineReasons(record, date));
  for (const field of TEXT_FIELDS) {
    const value = record[field];
    if (value.length > MAX_TEXT_LENGTH[field] || !value.isWellFormed()) return capped(lineReasons(record, date));
  }
  const ts = parseTimestamp(record.transaction_timestamp);
  const unit = toCents(record.unit_price);
  const total = toCents(record.line_total);
  const discount = toCents(record.discount_amount);
  if (
    !ts ||
    ts.localDate !== date ||
    unit === undefined ||
    total === undefined ||
    discount === undefined ||
    Math.abs(total - unit * record.quantity) > 1 ||
    discount > total
  ) {
    return capped(lineReasons(record, date));
  }
  return {
    store_id: storeId,
    business_date: date,
    transaction_id: record.transaction_id,
    timestamp_ms: ts.epochMs,
    utc_offset_minutes: ts.offsetMinutes,
    item_sku: record.item_sku,
    item_name: record.item_name,
    quantity: record.quantity,
    unit_price_cents: unit,
    line_total_cents: total,
    discount_cents: discount,
    payment_method: record.payment_method,
    customer_id: record.customer_id,
  };
}

const RULE_OF_KEYWORD: Record<string, RejectRule> = {
  type: 'type',
  enum: 'enum',
  minimum: 'minimum',
  maximum: 'maximum',
  minLength: 'min_length',
};

/** Every reason of a record that failed the fast check in checkLineItem. */
function lineReasons(record: unknown, date: string): RejectReason[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) {
    return [{ field: '(record)', rule: 'not_object', message: 'must be a JSON object' }];
  }
  const fields = record as Record<string, unknown>;
  const reasons: RejectReason[] = [];
  const valid = new Set<string>();
  for (const [field, check] of checkField) {
    if (!Object.hasOwn(fields, field)) {
      reasons.push({ field, rule: 'required', message: 'is required' });
      continue;
    }
    const value = fields[field];
    if (!check.Check(value)) {
      reasons.push({ field, ...describe(check, value) });
      continue;
    }
    if (typeof value === 'string') {
      const max = MAX_TEXT_LENGTH[field as keyof typeof MAX_TEXT_LENGTH];
      if (max !== undefined && value.length > max) {
        reasons.push({
          field,
          rule: 'max_length',
          message: `is ${value.length} characters long, over the limit of ${max}`,
        });
        continue;
      }
      if (!value.isWellFormed()) {
        reasons.push({ field, rule: 'unicode', message: 'is not well-formed Unicode (it holds a lone surrogate)' });
        continue;
      }
    }
    valid.add(field);
  }
  const text = (field: string) => fields[field] as string;
  const num = (field: string) => fields[field] as number;
  if (valid.has('transaction_timestamp')) {
    const ts = parseTimestamp(text('transaction_timestamp'));
    if (!ts) {
      reasons.push({
        field: 'transaction_timestamp',
        rule: 'timestamp',
        message: 'must be an ISO 8601 date-time with an offset (Z or ±hh:mm)',
      });
    } else if (ts.localDate !== date) {
      reasons.push({
        field: 'transaction_timestamp',
        rule: 'timestamp_date',
        message: `local date ${ts.localDate} is not the file's date ${date}`,
      });
    }
  }
  const cents = (field: string): number | undefined => {
    if (!valid.has(field)) return undefined;
    const value = toCents(num(field));
    if (value === undefined) reasons.push({ field, rule: 'two_decimals', message: 'must have at most two decimals' });
    return value;
  };
  const unit = cents('unit_price');
  const total = cents('line_total');
  const discount = cents('discount_amount');
  if (
    unit !== undefined &&
    total !== undefined &&
    valid.has('quantity') &&
    Math.abs(total - unit * num('quantity')) > 1
  ) {
    reasons.push({
      field: 'line_total',
      rule: 'line_total',
      message: `${num('line_total')} is not unit_price × quantity (${num('unit_price')} × ${num('quantity')})`,
    });
  }
  if (discount !== undefined && total !== undefined && discount > total) {
    reasons.push({
      field: 'discount_amount',
      rule: 'discount',
      message: `${num('discount_amount')} exceeds line_total ${num('line_total')}`,
    });
  }
  // Unknown fields last: when a line has more reasons than a report lists, the known fields' are the ones kept.
  for (const field of Object.keys(fields)) {
    if (!KNOWN_FIELDS.has(field)) {
      reasons.push({ field: quote(field), rule: 'unknown_field', message: 'is not a field of a store line item' });
    }
  }
  return reasons;
}

function describe(check: Validator, value: unknown): { rule: RejectRule; message: string } {
  const error = check.Errors(value)[0];
  const rule = (error && RULE_OF_KEYWORD[error.keyword]) || 'invalid';
  if (error?.keyword === 'enum') return { rule, message: `must be one of ${error.params.allowedValues.join(', ')}` };
  return { rule, message: error?.message ?? 'is not valid' };
}

/** Where StoreFileReader hands each line: an accepted row, or a rejected line with its reasons. */
export interface StoreFileSink {
  /** An accepted row; `firstOfTransaction` when no earlier accepted row had its transaction id. */
  row(row: CanonicalRow, firstOfTransaction: boolean): void;
  reject(line: RejectedLine): void;
}

/** What a pass of StoreFileReader found beyond its lines. */
export interface StoreFileEnd {
  lines: number;
  /**
   * Transactions whose accepted lines name more than one payment method. Their lines were handed to the sink as
   * rows; the caller must read the file again with them as `excluded` (they are rare, so a second pass is cheaper
   * than holding every row until the end of a file).
   */
  mixed: ReadonlySet<string>;
  /** Lines the fast path (StoreLineParser) read; the others went through JSON.parse and checkLineItem. */
  fastLines: number;
}

/** How a StoreFileReader reads. */
export interface StoreFileReaderOptions {
  /**
   * Read lines in the shape stores export with StoreLineParser (default true); false sends every line through the
   * general path (scanner, JSON.parse, checkLineItem). Both give the same rows, rejections and reasons
   * (`test/store-line-parser.test.ts`); the option exists for that test and the benchmark.
   */
  fastPath?: boolean;
}

/** The most bytes of elements given to one JSON.parse: large enough to amortise the call, small enough to stay lean. */
const PARSE_RUN_BYTES = 1 << 20;

/**
 * Reads a store daily file in chunks, in one pass: splits the array (JsonArrayScanner), parses runs of lines with
 * JSON.parse, checks every line (checkLineItem) and hands it to the sink. Holds one chunk and one transaction map,
 * never the file. Throws RejectedFileError when the file as a whole cannot be taken.
 *
 * One payment method per transaction: a transaction in `excluded` has all its lines rejected for it; a conflict
 * first found in this pass is reported by `end()` (see StoreFileEnd.mixed).
 */
export class StoreFileReader {
  private readonly scanner: JsonArrayScanner;
  private readonly parser: StoreLineParser | undefined;
  private readonly methods = new Map<string, string>();
  private readonly mixed = new Set<string>();
  private lastTransaction: string | undefined;
  private lastMethod: string | undefined;
  /** Elements of the current push already handed to the sink. */
  private handed = 0;
  private fastLines = 0;

  constructor(
    private readonly storeDay: StoreDay,
    private readonly sink: StoreFileSink,
    private readonly excluded: ReadonlySet<string> = new Set(),
    options: StoreFileReaderOptions = {},
  ) {
    this.parser =
      (options.fastPath ?? true) ? new StoreLineParser(storeDay, STORE_FILE_LIMITS.maxLineBytes) : undefined;
    this.scanner = new JsonArrayScanner(
      { maxDepth: STORE_FILE_LIMITS.maxDepth, maxElementBytes: STORE_FILE_LIMITS.maxLineBytes },
      this.parser ? (bytes, start, pending) => this.fastLine(bytes, start, pending) : undefined,
    );
  }

  push(chunk: Uint8Array): void {
    this.handed = 0;
    let elements: ScannedElement[];
    try {
      elements = this.scanner.push(chunk);
    } catch (error) {
      throw asRejected(error);
    }
    this.handOn(this.scanner.lastBytes, elements);
  }

  /** Parses, checks and hands to the sink the elements of this push not yet handed, in order. */
  private handOn(bytes: Uint8Array, elements: readonly ScannedElement[]): void {
    let from = this.handed;
    for (let k = from; k < elements.length; k++) {
      const element = elements[k] as ScannedElement;
      if (element.fault) {
        this.parseRun(bytes, elements, from, k);
        this.rejectFault(element);
        from = k + 1;
      } else if (element.end - (elements[from] as ScannedElement).start > PARSE_RUN_BYTES) {
        this.parseRun(bytes, elements, from, k + 1);
        from = k + 1;
      }
    }
    this.parseRun(bytes, elements, from, elements.length);
    this.handed = elements.length;
  }

  /**
   * The fast path (StoreLineParser): a line in the shape stores export becomes its row here, without JSON.parse or
   * checkLineItem; any other line (-1) is scanned and goes the general way, which alone writes reasons. A line of an
   * excluded transaction also goes the general way, so that its rejection carries the record as parsed.
   */
  private fastLine(bytes: Uint8Array, start: number, pending: readonly ScannedElement[]): number {
    const parser = this.parser as StoreLineParser;
    const end = parser.parse(bytes, start);
    if (end < 0) return -1;
    const row = parser.row as CanonicalRow;
    if (this.excluded.size > 0 && this.excluded.has(row.transaction_id)) return -1;
    // The lines before it first, so the sink sees every line in file order.
    if (this.handed < pending.length) this.handOn(bytes, pending);
    this.fastLines++;
    this.accept(row);
    return end;
  }

  end(): StoreFileEnd {
    try {
      this.scanner.end();
    } catch (error) {
      throw asRejected(error);
    }
    return { lines: this.scanner.lines, mixed: this.mixed, fastLines: this.fastLines };
  }

  private parseRun(bytes: Uint8Array, elements: readonly ScannedElement[], from: number, to: number): void {
    if (from >= to) return;
    const first = elements[from] as ScannedElement;
    const last = elements[to - 1] as ScannedElement;
    let values: unknown;
    try {
      values = JSON.parse(`[${utf8.decode(bytes.subarray(first.start, last.end))}]`);
    } catch {
      values = undefined;
    }
    if (Array.isArray(values) && values.length === to - from) {
      for (let k = from; k < to; k++) this.line(values[k - from], (elements[k] as ScannedElement).line);
      return;
    }
    // Some line of the run is not UTF-8 or not JSON: parse them one by one to find which.
    for (let k = from; k < to; k++) {
      const element = elements[k] as ScannedElement;
      const slice = bytes.subarray(element.start, element.end);
      let text: string;
      try {
        text = utf8.decode(slice);
      } catch {
        this.reject(element.line, excerptOf(slice), {
          field: '(record)',
          rule: 'not_utf8',
          message: 'holds bytes that are not UTF-8',
        });
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        this.reject(element.line, excerptOf(slice), {
          field: '(record)',
          rule: 'not_json',
          message: `is not valid JSON: ${quote((error as Error).message)}`,
        });
        continue;
      }
      this.line(value, element.line);
    }
  }

  private rejectFault(element: ScannedElement): void {
    const fault = element.fault;
    if (!fault) return;
    const field = fault.key === undefined ? '(record)' : quote(fault.key);
    const reason: RejectReason =
      fault.kind === 'depth'
        ? {
            field,
            rule: 'nesting',
            message: `is nested more than ${STORE_FILE_LIMITS.maxDepth} levels deep (a line item is an object of scalars)`,
          }
        : {
            field,
            rule: 'line_size',
            message:
              `makes the line ${fault.bytes} bytes long, over the limit of ${STORE_FILE_LIMITS.maxLineBytes}` +
              (fault.key === undefined ? '' : ' (the line grew past the limit in this field)'),
          };
    this.reject(element.line, element.excerpt ?? '', reason);
  }

  private reject(line: number, excerpt: string, reason: RejectReason): void {
    this.sink.reject({ line, excerpt, reasons: [reason] });
  }

  private line(record: unknown, line: number): void {
    const result = checkLineItem(record, this.storeDay);
    if (Array.isArray(result)) {
      this.sink.reject({ line, record, reasons: result });
      return;
    }
    const tx = result.transaction_id;
    if (this.excluded.size > 0 && this.excluded.has(tx)) {
      this.sink.reject({
        line,
        record,
        reasons: [
          {
            field: 'payment_method',
            rule: 'mixed_payment',
            message: `transaction ${tx} has more than one payment method`,
          },
        ],
      });
      return;
    }
    this.accept(result);
  }

  /** An accepted row: the one-payment-method bookkeeping, then the sink. */
  private accept(result: CanonicalRow): void {
    const tx = result.transaction_id;
    // Most lines repeat the transaction of the line before: comparing with it spares most map lookups.
    let first = false;
    if (tx === this.lastTransaction) {
      if (result.payment_method !== this.lastMethod) this.mixed.add(tx);
    } else {
      const seen = this.methods.get(tx);
      if (seen === undefined) {
        this.methods.set(tx, result.payment_method);
        first = true;
      } else if (seen !== result.payment_method) {
        this.mixed.add(tx);
      }
      this.lastTransaction = tx;
      this.lastMethod = seen ?? result.payment_method;
    }
    this.sink.row(result, first);
  }
}

function excerptOf(bytes: Uint8Array): string {
  return lenient.decode(bytes.subarray(0, 200));
}

function asRejected(error: unknown): unknown {
  return error instanceof ArrayScanError ? new RejectedFileError(error.message) : error;
}

/**
 * Decodes and validates a store daily file held in memory (the streaming path is StoreFileReader). Every record ends
 * up either as a canonical row or as a rejected line with its reasons; nothing is dropped. Throws RejectedFileError
 * when the file as a whole cannot be taken.
 */
export function validateStoreFile(
  body: Uint8Array | string,
  storeDay: StoreDay,
  options: StoreFileReaderOptions = {},
): ValidatedFile {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const pass = (excluded?: ReadonlySet<string>) => {
    const rows: CanonicalRow[] = [];
    const rejected: RejectedLine[] = [];
    const reader = new StoreFileReader(
      storeDay,
      { row: (r) => rows.push(r), reject: (l) => rejected.push(l) },
      excluded,
      options,
    );
    reader.push(bytes);
    return { rows, rejected, end: reader.end() };
  };
  let result = pass();
  if (result.end.mixed.size > 0) result = pass(result.end.mixed);
  return { rows: result.rows, rejected: result.rejected, lines: result.end.lines };
}

/** Validates already-decoded records (see validateStoreFile). */
export function validateRecords(records: readonly unknown[], storeDay: StoreDay): ValidatedFile {
  const candidates: { line: number; row: CanonicalRow }[] = [];
  const rejected: RejectedLine[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const result = checkLineItem(record, storeDay);
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
  for (const { line, row } of candidates) {
    if (!mixed.has(row.transaction_id)) {
      rows.push(row);
      continue;
    }
    rejected.push({
      line,
      record: records[line - 1],
      reasons: [
        {
          field: 'payment_method',
          rule: 'mixed_payment',
          message: `transaction ${row.transaction_id} has more than one payment method`,
        },
      ],
    });
  }
  if (mixed.size > 0) rejected.sort((a, b) => a.line - b.line);
  return { rows, rejected, lines: records.length };
}

/** How many rejected lines broke one rule (of one field, or of any unknown field), and where it first happened. */
export interface ReasonCount {
  field: string;
  rule: RejectRule;
  lines: number;
  first_line: number;
  /** The message of the first line that broke it. */
  message: string;
}

/**
 * The rejected lines of a file, capped: the first `keep` in full, and for every rule how many lines broke it. Memory
 * is bounded whatever the file holds (a million empty objects make 100 lines and ten counts).
 */
export class RejectionLog {
  readonly records: RejectedLine[] = [];
  total = 0;
  private readonly counts = new Map<string, ReasonCount>();

  /**
   * `fields` are the field names counted by name (a CSV source's columns, say); any other name counts as
   * `(unknown field)`. The store line item's fields by default.
   */
  constructor(
    readonly keep: number = STORE_FILE_LIMITS.reportLines,
    private readonly fields: ReadonlySet<string> = KNOWN_FIELDS,
  ) {}

  add(line: RejectedLine): void {
    this.total++;
    if (this.records.length < this.keep) this.records.push(line);
    const counted = new Set<string>();
    for (const reason of line.reasons) {
      // Unknown field names are the file's own and unbounded in number: they count as one rule.
      const known = this.fields.has(reason.field) || reason.field === '(record)';
      const field = known ? reason.field : '(unknown field)';
      const key = `${field}\u0000${reason.rule}`;
      if (counted.has(key)) continue;
      counted.add(key);
      const count = this.counts.get(key);
      if (count) {
        count.lines++;
      } else {
        this.counts.set(key, { field, rule: reason.rule, lines: 1, first_line: line.line, message: reason.message });
      }
    }
  }

  /** The counts by rule, most frequent first. */
  reasons(): ReasonCount[] {
    return [...this.counts.values()].sort((a, b) => b.lines - a.lines || a.first_line - b.first_line);
  }
}

/**
 * The rejection report a store reads to correct its export (`rejected/…rejected.json`, docs/operations.md):
 * counts first, then the reasons by rule, then the first rejected lines in full.
 */
export interface RejectionReport {
  source_key: string;
  source_etag: string;
  /** Why the whole file was rejected, when it was. */
  reason?: string;
  lines: number;
  accepted: number;
  rejected: number;
  reasons: ReasonCount[];
  records: RejectedLine[];
  /** Rejected lines counted in `reasons` but not shown in `records`. */
  records_omitted: number;
}

/** The report of a file from its log (see RejectionReport). */
export function rejectionReport(
  source: { key: string; etag: string },
  counts: { lines: number; accepted: number },
  log: RejectionLog,
  reason?: string,
): RejectionReport {
  return {
    source_key: source.key,
    source_etag: source.etag,
    ...(reason === undefined ? {} : { reason }),
    lines: counts.lines,
    accepted: counts.accepted,
    rejected: log.total,
    reasons: log.reasons(),
    records: log.records,
    records_omitted: log.total - log.records.length,
  };
}
