import type { CanonicalRow } from '@tillflow/core';
import { Dictionary, Field, Int16, Int32, Int64, Schema, TimestampMillisecond, Utf8 } from 'apache-arrow';

/**
 * The columns of a canonical row in the order every Parquet file of the lake stores them. The order is part of the
 * file format: it is the order of CanonicalRow's fields, readers (Athena, DuckDB, our own) may rely on it, and
 * changing it is a format change.
 *
 * | # | column | Arrow type (rowsToArrowTable) | Parquet type | Parquet encoding |
 * |---|---|---|---|---|
 * | 0 | store_id | Dictionary<Int32, Utf8> | BYTE_ARRAY STRING | PLAIN (one value a file: ZSTD takes the run) |
 * | 1 | business_date | Dictionary<Int32, Utf8> | BYTE_ARRAY STRING | PLAIN (likewise) |
 * | 2 | transaction_id | Dictionary<Int32, Utf8> | BYTE_ARRAY STRING | PLAIN (repeats on the lines of a transaction) |
 * | 3 | timestamp_ms | Timestamp(ms, "UTC") | INT64 TIMESTAMP(MILLIS, UTC) | PLAIN (likewise) |
 * | 4 | utc_offset_minutes | Int16 | INT32 INT(16) | PLAIN (±14 h fits 16 bits) |
 * | 5 | item_sku | Dictionary<Int32, Utf8> | BYTE_ARRAY STRING | RLE_DICTIONARY (a catalogue) |
 * | 6 | item_name | Dictionary<Int32, Utf8> | BYTE_ARRAY STRING | RLE_DICTIONARY (follows the SKU) |
 * | 7 | quantity | Int32 | INT32 | RLE_DICTIONARY (a few small values) |
 * | 8 | unit_price_cents | Int64 | INT64 | RLE_DICTIONARY (follows the SKU) |
 * | 9 | line_total_cents | Int64 | INT64 | RLE_DICTIONARY |
 * | 10 | discount_cents | Int64 | INT64 | RLE_DICTIONARY (mostly 0 and a few amounts; readable by DuckDB) |
 * | 11 | payment_method | Dictionary<Int32, Utf8> | BYTE_ARRAY STRING | RLE_DICTIONARY (five values) |
 * | 12 | customer_id | Dictionary<Int32, Utf8> | BYTE_ARRAY STRING | PLAIN (repeats on the lines of a transaction) |
 *
 * Our own encoder writes the Parquet columns (parquet-encoder.ts, which has the reasons for the encodings: those
 * that measured smallest on the sample month); every page is ZSTD-compressed. The Arrow types are those of
 * rowsToArrowTable, for code that wants the rows as Arrow: strings are dictionaries there because building a
 * dictionary is the cheapest way to get them into Arrow. The files store no Arrow schema, so an Arrow reader gets
 * plain Utf8 back.
 *
 * Every column is non-nullable: a canonical row has every field, and required columns carry no definition levels.
 * Money is Int64 rather than Int32 because Int32 cents stop at 21,474,836.47; after the encodings and ZSTD the wider
 * type costs nothing on disk (the sample month's files came out 0.2% smaller than with Int32). Quantity is Int32 (the schema sets no upper bound).
 */
export const CANONICAL_COLUMNS = [
  'store_id',
  'business_date',
  'transaction_id',
  'timestamp_ms',
  'utc_offset_minutes',
  'item_sku',
  'item_name',
  'quantity',
  'unit_price_cents',
  'line_total_cents',
  'discount_cents',
  'payment_method',
  'customer_id',
] as const satisfies readonly (keyof CanonicalRow)[];

/** The name of one canonical column. */
export type CanonicalColumn = (typeof CANONICAL_COLUMNS)[number];

/** The canonical columns that hold text (dictionaries in Arrow; see the table above for Parquet). */
export const STRING_COLUMNS = [
  'store_id',
  'business_date',
  'transaction_id',
  'item_sku',
  'item_name',
  'payment_method',
  'customer_id',
] as const satisfies readonly CanonicalColumn[];
export type StringColumn = (typeof STRING_COLUMNS)[number];

/** The canonical columns that hold 64-bit integers (the instant and money). */
export const INT64_COLUMNS = [
  'timestamp_ms',
  'unit_price_cents',
  'line_total_cents',
  'discount_cents',
] as const satisfies readonly CanonicalColumn[];
export type Int64Column = (typeof INT64_COLUMNS)[number];

/** Arrow IPC ties each dictionary batch to its column through the dictionary id: its index in STRING_COLUMNS. */
function stringType(column: StringColumn): Dictionary<Utf8, Int32> {
  return new Dictionary(new Utf8(), new Int32(), STRING_COLUMNS.indexOf(column));
}

/** The Arrow type of every canonical column. */
export const CANONICAL_TYPES = {
  store_id: stringType('store_id'),
  business_date: stringType('business_date'),
  transaction_id: stringType('transaction_id'),
  timestamp_ms: new TimestampMillisecond('UTC'),
  utc_offset_minutes: new Int16(),
  item_sku: stringType('item_sku'),
  item_name: stringType('item_name'),
  quantity: new Int32(),
  unit_price_cents: new Int64(),
  line_total_cents: new Int64(),
  discount_cents: new Int64(),
  payment_method: stringType('payment_method'),
  customer_id: stringType('customer_id'),
} as const;

/** The Arrow schema of a canonical row: CANONICAL_COLUMNS in order, typed as CANONICAL_TYPES, none nullable. */
export const CANONICAL_ARROW_SCHEMA = new Schema(
  CANONICAL_COLUMNS.map((name) => new Field(name, CANONICAL_TYPES[name], false)),
);

/** True when `name` is one of the canonical columns. */
export function isCanonicalColumn(name: string): name is CanonicalColumn {
  return (CANONICAL_COLUMNS as readonly string[]).includes(name);
}
