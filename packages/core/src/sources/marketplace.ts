import { isCalendarDate } from '../dates';
import { ValidationError } from '../errors';
import type { RejectReason } from '../store-file';
import { RejectedFileError } from '../store-file';

/**
 * The marketplace order report (`docs/architecture.md`, Sources): the columns of the public "Amazon Sale Report",
 * one CSV record per order line. This file is the pure half of its adapter: the header check, one record to one
 * MarketplaceRow or its reasons, and the status classes the KPIs use. Reading the CSV (a stream) is process-upload's.
 */

/** The report's columns as the marketplace names them, in its order. Headers are matched after trimming. */
export const MARKETPLACE_COLUMNS = [
  'Order ID',
  'Date',
  'Status',
  'Fulfilment',
  'Sales Channel',
  'ship-service-level',
  'Style',
  'SKU',
  'Category',
  'Size',
  'ASIN',
  'Courier Status',
  'Qty',
  'currency',
  'Amount',
  'ship-city',
  'ship-state',
  'ship-postal-code',
  'ship-country',
  'promotion-ids',
  'B2B',
  'fulfilled-by',
] as const;
/** One column of the marketplace report. */
export type MarketplaceColumn = (typeof MARKETPLACE_COLUMNS)[number];

/**
 * What a record's Status means for the figures: `active` orders count as revenue; `cancelled` and `excluded`
 * (returned, returning, rejected, lost or damaged) do not, and are counted apart in the KPIs' metadata.
 */
export type StatusClass = 'active' | 'cancelled' | 'excluded';

/**
 * The class of a marketplace Status. "Cancelled" is cancelled; any status naming a return (Returned to Seller,
 * Returning to Seller), a rejection (Rejected by Buyer), a loss (Lost in Transit) or damage (Damaged) is excluded;
 * everything else (Shipped, Delivered to Buyer, Pending, Shipping, Out for Delivery, Picked Up) is active.
 */
export function statusClass(status: string): StatusClass {
  if (/^cancel/i.test(status)) return 'cancelled';
  if (/return|reject|lost|damage/i.test(status)) return 'excluded';
  return 'active';
}

/**
 * One accepted line of a marketplace report, as the lake stores it. Money is integer cents in the report's
 * currency. Nullable fields are those the marketplace leaves blank on real exports (a cancelled order has no amount;
 * some orders have no address or courier status).
 */
export interface MarketplaceRow {
  order_id: string;
  /** `YYYY-MM-DD`, from the report's MM-DD-YY Date. */
  business_date: string;
  status: string;
  status_class: StatusClass;
  fulfilment: 'Amazon' | 'Merchant';
  sales_channel: string;
  ship_service_level: string;
  style: string;
  sku: string;
  category: string;
  size: string;
  asin: string;
  courier_status: string | null;
  quantity: number;
  currency: string | null;
  amount_cents: number | null;
  ship_city: string | null;
  ship_state: string | null;
  ship_postal_code: string | null;
  ship_country: string | null;
  promotion_ids: string | null;
  b2b: boolean;
  fulfilled_by: string | null;
}

/** Where each report column sits in a record: the header's positions, resolved once per file. */
export type MarketplaceHeader = Readonly<Record<MarketplaceColumn, number>>;

/**
 * The column positions of a report's header row, matched after trimming (one real export has "Sales Channel " with a
 * trailing space) and ignoring case. Columns the report does not define (the public data set's leading `index` and
 * trailing `Unnamed: 22`) are ignored and returned, so that the summary can say so. Throws RejectedFileError naming
 * every missing column, or a column given twice: without its header no line of the file can be read.
 */
export function resolveMarketplaceHeader(header: readonly string[]): { columns: MarketplaceHeader; ignored: string[] } {
  const wanted = new Map(MARKETPLACE_COLUMNS.map((c) => [c.toLowerCase(), c]));
  const columns: Partial<Record<MarketplaceColumn, number>> = {};
  const ignored: string[] = [];
  header.forEach((raw, i) => {
    const name = raw.replace(/^\uFEFF/, '').trim();
    const column = wanted.get(name.toLowerCase());
    if (column === undefined) {
      ignored.push(name);
      return;
    }
    if (columns[column] !== undefined) throw new RejectedFileError(`the header names the column "${column}" twice`);
    columns[column] = i;
  });
  const missing = MARKETPLACE_COLUMNS.filter((c) => columns[c] === undefined);
  if (missing.length > 0) {
    throw new RejectedFileError(`the header lacks the marketplace report column(s) ${missing.join(', ')}`);
  }
  return { columns: columns as MarketplaceHeader, ignored };
}

/** The report's Date is MM-DD-YY (two-digit years are 20YY); this returns it as YYYY-MM-DD, or undefined. */
export function marketplaceDate(value: string): string | undefined {
  const m = /^(\d{2})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const date = `20${m[3]}-${m[1]}-${m[2]}`;
  return isCalendarDate(date) ? date : undefined;
}

/**
 * A decimal amount as written in the report (`647.62`, `399`, `0.5`) in integer cents, parsed from the text rather
 * than through a float so that no amount is off by a cent. Undefined for anything else (a sign, a third decimal,
 * a thousands separator).
 */
export function amountCents(value: string): number | undefined {
  const m = /^(\d{1,13})(?:\.(\d{1,2}))?$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

const REQUIRED_TEXT = [
  ['Order ID', 'order_id'],
  ['Status', 'status'],
  ['Sales Channel', 'sales_channel'],
  ['ship-service-level', 'ship_service_level'],
  ['Style', 'style'],
  ['SKU', 'sku'],
  ['Category', 'category'],
  ['Size', 'size'],
  ['ASIN', 'asin'],
] as const satisfies readonly (readonly [MarketplaceColumn, keyof MarketplaceRow])[];

/**
 * One record of a report as a MarketplaceRow, or every reason it cannot be one. Fields are trimmed; a blank
 * optional field is null. Rules: the required text fields are non-empty; Date is a real MM-DD-YY date; Fulfilment
 * is Amazon or Merchant; Qty is a whole number ≥ 0; B2B is True or False; Amount has at most two decimals, with a
 * three-letter currency, and is required unless the order is cancelled or excluded (the marketplace leaves it
 * blank on those). The checks that span records (the report's currency, duplicate lines) are MarketplaceValidator's.
 */
export function toMarketplaceRow(
  record: readonly string[],
  columns: MarketplaceHeader,
): MarketplaceRow | RejectReason[] {
  const get = (c: MarketplaceColumn) => (record[columns[c]] ?? '').trim();
  const optional = (c: MarketplaceColumn) => get(c) || null;
  const reasons: RejectReason[] = [];
  for (const [column] of REQUIRED_TEXT) {
    if (get(column) === '') reasons.push({ field: column, rule: 'required', message: 'is required' });
  }
  const rawDate = get('Date');
  const date = marketplaceDate(rawDate);
  if (date === undefined)
    reasons.push({ field: 'Date', rule: 'timestamp', message: `"${rawDate}" is not a calendar date MM-DD-YY` });
  const rawFulfilment = get('Fulfilment').toLowerCase();
  const fulfilment = rawFulfilment === 'amazon' ? 'Amazon' : rawFulfilment === 'merchant' ? 'Merchant' : undefined;
  if (fulfilment === undefined)
    reasons.push({ field: 'Fulfilment', rule: 'enum', message: 'must be Amazon or Merchant' });
  const rawQty = get('Qty');
  const quantity = /^\d{1,9}$/.test(rawQty) ? Number(rawQty) : undefined;
  if (quantity === undefined)
    reasons.push({ field: 'Qty', rule: 'type', message: `"${rawQty}" is not a whole number ≥ 0` });
  const rawB2b = get('B2B').toLowerCase();
  const b2b = rawB2b === 'true' ? true : rawB2b === 'false' ? false : undefined;
  if (b2b === undefined) reasons.push({ field: 'B2B', rule: 'enum', message: 'must be True or False' });

  const status = get('Status');
  const klass = statusClass(status);
  const rawAmount = get('Amount');
  const currency = optional('currency');
  let amount: number | null = null;
  if (rawAmount === '') {
    if (klass === 'active' && status !== '') {
      reasons.push({ field: 'Amount', rule: 'required', message: `is required for an order with status ${status}` });
    }
  } else {
    const cents = amountCents(rawAmount);
    if (cents === undefined) {
      reasons.push({
        field: 'Amount',
        rule: 'two_decimals',
        message: `"${rawAmount}" is not an amount ≥ 0 with at most two decimals`,
      });
    } else amount = cents;
    if (currency === null || !/^[A-Z]{3}$/.test(currency)) {
      reasons.push({
        field: 'currency',
        rule: 'type',
        message: 'must be a three-letter code (e.g. INR) when Amount is given',
      });
    }
  }
  if (reasons.length > 0) return reasons;
  return {
    order_id: get('Order ID'),
    business_date: date as string,
    status,
    status_class: klass,
    fulfilment: fulfilment as MarketplaceRow['fulfilment'],
    sales_channel: get('Sales Channel'),
    ship_service_level: get('ship-service-level'),
    style: get('Style'),
    sku: get('SKU'),
    category: get('Category'),
    size: get('Size'),
    asin: get('ASIN'),
    courier_status: optional('Courier Status'),
    quantity: quantity as number,
    currency,
    amount_cents: amount,
    ship_city: optional('ship-city'),
    ship_state: optional('ship-state'),
    ship_postal_code: optional('ship-postal-code'),
    ship_country: optional('ship-country'),
    promotion_ids: optional('promotion-ids'),
    b2b: b2b as boolean,
    fulfilled_by: optional('fulfilled-by'),
  };
}

/**
 * The checks of a report that span its records, applied in file order: every amount is in the report's one
 * currency (the first accepted amount's: revenue in two currencies cannot be summed), and a line that repeats an
 * earlier accepted line's Order ID and SKU is a duplicate (an order lists a SKU once, with its quantity), so that no
 * line is counted twice. Keeps one entry per accepted line: a few tens of bytes each.
 */
export class MarketplaceValidator {
  private currency: string | undefined;
  private readonly seen = new Map<string, number>();

  /** The report's currency, once an accepted line has set it. */
  get reportCurrency(): string | undefined {
    return this.currency;
  }

  /** `record` (at 1-based `line`) as a row, or its reasons; an accepted row is remembered for the later checks. */
  check(record: readonly string[], columns: MarketplaceHeader, line: number): MarketplaceRow | RejectReason[] {
    const row = toMarketplaceRow(record, columns);
    if (Array.isArray(row)) return row;
    const reasons: RejectReason[] = [];
    if (row.amount_cents !== null && row.currency !== null) {
      if (this.currency !== undefined && row.currency !== this.currency) {
        reasons.push({
          field: 'currency',
          rule: 'invalid',
          message: `${row.currency} is not the report's currency ${this.currency}`,
        });
      }
    }
    const key = `${row.order_id}\u0000${row.sku}`;
    const first = this.seen.get(key);
    if (first !== undefined) {
      reasons.push({
        field: '(record)',
        rule: 'invalid',
        message: `repeats line ${first} (Order ID ${row.order_id}, SKU ${row.sku})`,
      });
    }
    if (reasons.length > 0) return reasons;
    if (row.amount_cents !== null && row.currency !== null) this.currency ??= row.currency;
    this.seen.set(key, line);
    return row;
  }
}

/** A channel name: lower-case letters, digits and dashes, as in `uploads/marketplace/amazon/…`. */
export const CHANNEL_RE = /^[a-z0-9][a-z0-9-]{0,31}$/;
/** A report's file name under its channel: letters, digits, `.`, `_`, `-`, ending in `.csv`. */
export const REPORT_FILE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\.csv$/;

/** A marketplace report: its channel and its name (the file name without `.csv`). */
export interface MarketplaceReport {
  channel: string;
  name: string;
}

/** The report named by `channel` and a file name; throws a ValidationError saying what is wrong. */
export function parseMarketplaceFileName(channel: string, fileName: string): MarketplaceReport {
  if (!CHANNEL_RE.test(channel)) {
    throw new ValidationError(`channel "${channel}" must be lower-case letters, digits and dashes (at most 32)`);
  }
  if (!REPORT_FILE_RE.test(fileName) || fileName.includes('..')) {
    throw new ValidationError(
      `file name "${fileName}" must be letters, digits, ".", "_" or "-" (at most 100) ending in .csv`,
    );
  }
  return { channel, name: fileName.slice(0, -'.csv'.length) };
}

/**
 * The report a `report=` parameter names, `<channel>/<name>` (`amazon/sales-2022-q2`), as the KPIs API takes it.
 * Throws a ValidationError otherwise.
 */
export function parseReportId(report: string): MarketplaceReport {
  const slash = report.indexOf('/');
  if (slash < 0) throw new ValidationError(`report "${report}" must be <channel>/<name>, e.g. amazon/sales-2022-q2`);
  return parseMarketplaceFileName(report.slice(0, slash), `${report.slice(slash + 1)}.csv`);
}

/** `<channel>/<name>`: how the API and the summary name a report. */
export function reportId({ channel, name }: MarketplaceReport): string {
  return `${channel}/${name}`;
}

/** `uploads/marketplace/<channel>/<name>.csv`: the only key a marketplace report may have. */
export function marketplaceUploadKey({ channel, name }: MarketplaceReport): string {
  return `uploads/marketplace/${channel}/${name}.csv`;
}

/**
 * `processed/marketplace/channel=<c>/date=<d>/<name>.parquet`: a report's lines of one order date. Hive partitions
 * by channel and date, like the sales table's by date and store, so that a query of a range reads only its days;
 * the report's name keeps two reports of one channel apart (a re-upload of a name replaces its files).
 */
export function marketplaceProcessedKey({ channel, name }: MarketplaceReport, date: string): string {
  return `processed/marketplace/channel=${channel}/date=${date}/${name}.parquet`;
}

/** The marketplace lake's prefix: every report's Parquet partitions are under it (`marketplaceProcessedKey`). */
export const MARKETPLACE_LAKE_PREFIX = 'processed/marketplace/';

/**
 * A marketplace lake object's partition values (channel and order date), from its key; undefined for a key that is
 * not a partition's Parquet file.
 */
export function parseMarketplaceLakeKey(key: string): { channel: string; date: string } | undefined {
  const match =
    /^processed\/marketplace\/channel=([a-z0-9][a-z0-9-]{0,31})\/date=(\d{4}-\d{2}-\d{2})\/[^/]+\.parquet$/.exec(key);
  return match ? { channel: match[1] as string, date: match[2] as string } : undefined;
}

/** Where a report's rejected lines go, each with its reasons. */
export function marketplaceRejectedKey({ channel, name }: MarketplaceReport): string {
  return `rejected/marketplace/channel=${channel}/${name}.rejected.json`;
}

/** Where a report's KPIs (MarketplaceSummary) are kept for `GET /analytics/marketplace?report=<channel>/<name>`. */
export function marketplaceSummaryKey({ channel, name }: MarketplaceReport): string {
  return `summaries/marketplace/channel=${channel}/${name}.json`;
}
