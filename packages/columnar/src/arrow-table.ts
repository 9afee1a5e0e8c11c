import { type CanonicalRow, PAYMENT_METHODS, ValidationError } from '@tillflow/core';
import {
  type Data,
  DataType,
  makeData,
  makeVector,
  RecordBatch,
  Struct,
  Table,
  TimeUnit,
  Type,
  Utf8,
  type Vector,
} from 'apache-arrow';
import {
  CANONICAL_ARROW_SCHEMA,
  CANONICAL_COLUMNS,
  CANONICAL_TYPES,
  type CanonicalColumn,
  type Int64Column,
  type StringColumn,
} from './arrow-schema';

const TWO_POW_32 = 4_294_967_296;
const PAYMENT_METHOD_SET: ReadonlySet<string> = new Set(PAYMENT_METHODS);

/** A string column under construction: each distinct value once, and per row the index of its value. */
class DictionaryColumn {
  readonly values: string[] = [];
  readonly codes: Int32Array;
  private readonly index = new Map<string, number>();
  private last: string | undefined;
  private lastCode = -1;
  constructor(length: number) {
    this.codes = new Int32Array(length);
  }
  set(row: number, value: string): void {
    // Most values repeat the row before (a file's store and date, a transaction's id, customer and payment
    // method): comparing with it spares most of the hash lookups.
    if (value !== this.last) {
      let code = this.index.get(value);
      if (code === undefined) {
        code = this.values.length;
        this.index.set(value, code);
        this.values.push(value);
      }
      this.last = value;
      this.lastCode = code;
    }
    this.codes[row] = this.lastCode;
  }
}

/**
 * The canonical rows as an Arrow table of CANONICAL_ARROW_SCHEMA, in the same order, cut into record batches of at
 * most `batchRows` rows that share one dictionary per string column (so Arrow IPC carries each dictionary once).
 *
 * The lake's files are no longer written through Arrow (parquet-encoder.ts takes the rows directly); this is for
 * code that wants canonical rows as Arrow (tests build parquet-wasm reference files and other tables with it).
 * The columns are built straight into typed arrays rather than through Arrow's generic builders, which cost several
 * times more per value. Each value is checked on the way, since a typed array would otherwise wrap or truncate a
 * wrong value without a word.
 */
export function rowsToArrowTable(rows: readonly CanonicalRow[], batchRows: number): Table {
  const n = rows.length;
  const store = new DictionaryColumn(n);
  const date = new DictionaryColumn(n);
  const transaction = new DictionaryColumn(n);
  const sku = new DictionaryColumn(n);
  const name = new DictionaryColumn(n);
  const payment = new DictionaryColumn(n);
  const customer = new DictionaryColumn(n);
  // 64-bit columns are written as (low, high) 32-bit halves, then viewed as BigInt64Array (little-endian, as on every
  // platform Node runs on): a BigInt per value would cost far more than the two integer stores.
  const timestamp = new Int32Array(2 * n);
  const unitPrice = new Int32Array(2 * n);
  const lineTotal = new Int32Array(2 * n);
  const discount = new Int32Array(2 * n);
  const offset = new Int16Array(n);
  const quantity = new Int32Array(n);

  for (let i = 0; i < n; i++) {
    const row = rows[i] as CanonicalRow;
    store.set(i, text(row.store_id, 'store_id', i));
    date.set(i, text(row.business_date, 'business_date', i));
    transaction.set(i, text(row.transaction_id, 'transaction_id', i));
    sku.set(i, text(row.item_sku, 'item_sku', i));
    name.set(i, text(row.item_name, 'item_name', i));
    if (!PAYMENT_METHOD_SET.has(row.payment_method)) invalid(i, 'payment_method', row.payment_method);
    payment.set(i, row.payment_method);
    customer.set(i, text(row.customer_id, 'customer_id', i));
    setInt64(timestamp, i, row.timestamp_ms, 'timestamp_ms');
    setInt64(unitPrice, i, row.unit_price_cents, 'unit_price_cents');
    setInt64(lineTotal, i, row.line_total_cents, 'line_total_cents');
    setInt64(discount, i, row.discount_cents, 'discount_cents');
    const minutes = row.utc_offset_minutes;
    if ((minutes << 16) >> 16 !== minutes) invalid(i, 'utc_offset_minutes', minutes);
    offset[i] = minutes;
    const units = row.quantity;
    if ((units | 0) !== units) invalid(i, 'quantity', units);
    quantity[i] = units;
  }

  const dictionaries: Record<StringColumn, [DictionaryColumn, Vector<Utf8>]> = {
    store_id: withVector(store, 'store_id'),
    business_date: withVector(date, 'business_date'),
    transaction_id: withVector(transaction, 'transaction_id'),
    item_sku: withVector(sku, 'item_sku'),
    item_name: withVector(name, 'item_name'),
    payment_method: withVector(payment, 'payment_method'),
    customer_id: withVector(customer, 'customer_id'),
  };
  const int64: Record<Int64Column, Int32Array> = {
    timestamp_ms: timestamp,
    unit_price_cents: unitPrice,
    line_total_cents: lineTotal,
    discount_cents: discount,
  };

  const batches: RecordBatch[] = [];
  for (let start = 0; start < n; start += batchRows) {
    const end = Math.min(n, start + batchRows);
    const length = end - start;
    const children = CANONICAL_COLUMNS.map((column): Data => {
      if (column in dictionaries) {
        const [built, dictionary] = dictionaries[column as StringColumn];
        const type = CANONICAL_TYPES[column as StringColumn];
        return makeData({ type, length, nullCount: 0, data: built.codes.subarray(start, end), dictionary });
      }
      if (column in int64) {
        const halves = int64[column as Int64Column];
        const data = new BigInt64Array(halves.buffer, start * 8, length);
        return column === 'timestamp_ms'
          ? makeData({ type: CANONICAL_TYPES.timestamp_ms, length, nullCount: 0, data })
          : makeData({
              type: CANONICAL_TYPES[column as Exclude<Int64Column, 'timestamp_ms'>],
              length,
              nullCount: 0,
              data,
            });
      }
      if (column === 'quantity') {
        return makeData({ type: CANONICAL_TYPES.quantity, length, nullCount: 0, data: quantity.subarray(start, end) });
      }
      const type = CANONICAL_TYPES.utc_offset_minutes;
      return makeData({ type, length, nullCount: 0, data: offset.subarray(start, end) });
    });
    const struct = makeData({ type: new Struct(CANONICAL_ARROW_SCHEMA.fields), length, nullCount: 0, children });
    batches.push(new RecordBatch(CANONICAL_ARROW_SCHEMA, struct));
  }
  return new Table(CANONICAL_ARROW_SCHEMA, batches);
}

function withVector(built: DictionaryColumn, column: StringColumn): [DictionaryColumn, Vector<Utf8>] {
  return [built, utf8Vector(built.values, column)];
}

function text(value: unknown, column: CanonicalColumn, row: number): string {
  if (typeof value !== 'string') invalid(row, column, value);
  return value;
}

function setInt64(halves: Int32Array, row: number, value: number, column: CanonicalColumn): void {
  if (!Number.isSafeInteger(value)) invalid(row, column, value);
  // `| 0` keeps the low 32 bits of any safe integer (ToInt32 is modular), and the floored quotient is the high word
  // in two's complement, negative values included.
  halves[2 * row] = value | 0;
  halves[2 * row + 1] = Math.floor(value / TWO_POW_32);
}

function invalid(row: number, column: CanonicalColumn, value: unknown): never {
  const shown = typeof value === 'string' ? JSON.stringify(value) : String(value);
  throw new ValidationError(`row ${row}: ${column} ${shown} cannot be stored as ${describeType(column)}`);
}

function describeType(column: CanonicalColumn): string {
  switch (column) {
    case 'utc_offset_minutes':
      return 'a 16-bit integer';
    case 'quantity':
      return 'a 32-bit integer';
    case 'payment_method':
      return `one of ${PAYMENT_METHODS.join(', ')}`;
    default:
      return CANONICAL_TYPES[column].typeId === Type.Dictionary ? 'a string' : 'a safe integer';
  }
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** UTF-8 vector of `values`: ASCII is copied code unit by code unit, anything else goes through TextEncoder. */
function utf8Vector(values: readonly string[], column: StringColumn): Vector<Utf8> {
  let units = 0;
  for (const value of values) units += value.length;
  // A UTF-16 code unit never takes more than 3 bytes of UTF-8 (a surrogate pair, 2 units, takes 4).
  const bytes = new Uint8Array(units * 3);
  const offsets = new Int32Array(values.length + 1);
  const encoder = new TextEncoder();
  let at = 0;
  for (let v = 0; v < values.length; v++) {
    const value = values[v] as string;
    let ascii = true;
    for (let c = 0; c < value.length; c++) {
      const code = value.charCodeAt(c);
      if (code > 0x7f) {
        ascii = false;
        break;
      }
      bytes[at + c] = code;
    }
    if (!ascii && LONE_SURROGATE.test(value)) {
      // UTF-8 cannot carry it: the encoder would put U+FFFD in its place and the value would not come back.
      throw new ValidationError(`${column} ${JSON.stringify(value)} is not well-formed Unicode (a lone surrogate)`);
    }
    at += ascii ? value.length : encoder.encodeInto(value, bytes.subarray(at)).written;
    offsets[v + 1] = at;
  }
  return makeVector(
    makeData({
      type: new Utf8(),
      length: values.length,
      nullCount: 0,
      valueOffsets: offsets,
      data: bytes.subarray(0, at),
    }),
  );
}

/** A text column of `table` as strings, one per row: dictionary-encoded or plain UTF-8. */
export function stringColumn(table: Table, column: string): string[] {
  const out = new Array<string>(table.numRows);
  let at = 0;
  for (const data of chunksOf(table, column)) {
    const { type, length } = data;
    if (DataType.isDictionary(type) && isText(type.dictionary)) {
      const dictionary = data.dictionary as Vector;
      const decoded = new Array<string>(dictionary.length);
      for (let d = 0; d < dictionary.length; d++) decoded[d] = dictionary.get(d) as string;
      const codes = data.values as ArrayLike<number>;
      for (let i = 0; i < length; i++) out[at++] = decoded[codes[i] as number] as string;
    } else if (type.typeId === Type.Utf8) {
      at = decodeUtf8Column(out, at, data.valueOffsets as Int32Array, data.values as Uint8Array, length);
    } else if (isText(type)) {
      const vector = makeVector(data);
      for (let i = 0; i < length; i++) out[at++] = vector.get(i) as string;
    } else {
      throw new ValidationError(`column ${column} is of type ${type}, not text`);
    }
  }
  return out;
}

/** An integer or millisecond-timestamp column of `table` as numbers (epoch ms for the timestamp), one per row. */
export function numberColumn(table: Table, column: string): number[] {
  const out = new Array<number>(table.numRows);
  let at = 0;
  for (const data of chunksOf(table, column)) {
    const { type, length } = data;
    const wide = (DataType.isInt(type) && type.bitWidth === 64) || DataType.isTimestamp(type);
    if (DataType.isTimestamp(type) && type.unit !== TimeUnit.MILLISECOND) {
      throw new ValidationError(`column ${column} is a timestamp in ${TimeUnit[type.unit]}, not milliseconds`);
    }
    if (wide) {
      const values = data.values as BigInt64Array;
      const halves = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
      for (let i = 0; i < length; i++) {
        const high = halves[2 * i + 1] as number;
        // Beyond ±2^53 a number is no longer exact: our writer never stores such a value, another writer might.
        if (high >= 0x20_0000 || high < -0x20_0000) {
          throw new ValidationError(`column ${column} holds ${values[i]}, which is not a safe integer`);
        }
        out[at++] = high * TWO_POW_32 + ((halves[2 * i] as number) >>> 0);
      }
    } else if (DataType.isInt(type)) {
      const values = data.values as ArrayLike<number>;
      for (let i = 0; i < length; i++) out[at++] = values[i] as number;
    } else {
      throw new ValidationError(`column ${column} is of type ${type}, not an integer`);
    }
  }
  return out;
}

const utf8 = new TextDecoder();

/** Distinct values a chunk's decoder remembers: a catalogue fits; past it, only runs are reused. */
const DECODE_CACHE_LIMIT = 4_096;

/**
 * Decodes `length` UTF-8 values into `out` from `at`, decoding each distinct value of a chunk once where it can:
 * a canonical file repeats most values, either in runs (store, date, and a transaction's id, customer and payment)
 * or from a catalogue (SKU, name). A value equal to the row before reuses that string; otherwise a hash of its bytes
 * finds an earlier equal value, checked byte for byte. Besides the decoding, this shares one string between rows.
 */
function decodeUtf8Column(out: string[], at: number, offsets: Int32Array, bytes: Uint8Array, length: number): number {
  const seen = new Map<number, { start: number; size: number; text: string }>();
  let previous = '';
  let previousStart = 0;
  let previousSize = -1;
  for (let i = 0; i < length; i++) {
    const start = offsets[i] as number;
    const size = (offsets[i + 1] as number) - start;
    if (size !== previousSize || !sameBytes(bytes, start, previousStart, size)) {
      let hash = 0x811c9dc5 ^ size;
      for (let b = start; b < start + size; b++) hash = Math.imul(hash ^ (bytes[b] as number), 0x01000193);
      const hit = seen.get(hash);
      if (hit !== undefined && hit.size === size && sameBytes(bytes, start, hit.start, size)) {
        previous = hit.text;
      } else {
        previous = utf8.decode(bytes.subarray(start, start + size));
        if (hit === undefined && seen.size < DECODE_CACHE_LIMIT) seen.set(hash, { start, size, text: previous });
      }
      previousStart = start;
      previousSize = size;
    }
    out[at++] = previous;
  }
  return at;
}

/** Whether the `size` bytes at `a` equal those at `b` (the caller knows both values have that size). */
function sameBytes(bytes: Uint8Array, a: number, b: number, size: number): boolean {
  for (let k = 0; k < size; k++) if (bytes[a + k] !== bytes[b + k]) return false;
  return true;
}

function chunksOf(table: Table, column: string): readonly Data[] {
  const vector = table.getChild(column);
  if (!vector) throw new ValidationError(`the file has no column ${column}`);
  for (const data of vector.data) {
    if (data.nullCount > 0) throw new ValidationError(`column ${column} holds nulls, which a canonical row cannot`);
  }
  return vector.data;
}

function isText(type: DataType): boolean {
  return type.typeId === Type.Utf8 || type.typeId === Type.LargeUtf8;
}
