import { type CanonicalRow, PAYMENT_METHODS, ValidationError } from '@tillflow/core';
import type { CanonicalColumn } from './arrow-schema';
import {
  appendHybrid,
  appendText,
  ByteSink,
  bitWidth,
  compareBytes,
  type ZstdPageCompressor,
  zstdPageCompressor,
} from './parquet-pages';
import { CompactWriter, WireType } from './thrift-compact';

/**
 * Our own Parquet encoder for the one schema of the lake (the 13 canonical columns), written because the writer the
 * design started with measured too slow for the upload path's budget: converting a store-day file (scan, parse,
 * validation, figures, Parquet) must reach 0.4 of `JSON.parse`'s speed, about 6.5 ms per MB of JSON in all, and
 * parquet-wasm's `writeParquet` alone took about 7 ms/MB, plus 2.7 ms/MB to hand it the rows as Arrow IPC and 1 ms/MB
 * to build the Arrow data (docs/performance.md); hyparquet-writer, the well-kept pure-JS writer, measured slower
 * still. A fixed schema needs little of a general writer: two encodings, one page per column chunk, no nulls, no
 * nesting. See docs/architecture.md.
 *
 * The files are those parquet-wasm wrote, field for field (test/parquet-encoder.test.ts compares the footers):
 * - schema: CANONICAL_COLUMNS in order, all REQUIRED; text as BYTE_ARRAY STRING (UTF8), the instant as INT64
 *   TIMESTAMP(MILLIS, adjusted to UTC), the offset as INT32 INT(16, signed), quantity INT32, money INT64;
 * - encodings, chosen by measuring store-day files of the sample month (scripts/bench/columnar.ts): PLAIN for
 *   store_id, business_date, transaction_id, timestamp_ms, utc_offset_minutes and customer_id, whose values come in
 *   runs (a store, a date, and a transaction's id, instant and customer repeat on every line of the transaction):
 *   ZSTD finds a run in a plain page for less than a dictionary page plus its index page cost (the transaction id
 *   took 315 bytes a file instead of 674, the customer 743 instead of 1,063, the instant 683 instead of 1,102, or 732
 *   in DELTA_BINARY_PACKED). RLE_DICTIONARY (a PLAIN dictionary page, then the indices in the RLE/bit-packed hybrid)
 *   for the rest: the catalogue columns (SKU, name, quantity, price, line total) and the payment method draw from
 *   few values in no particular order; the discount too (BYTE_STREAM_SPLIT measured a little smaller, but DuckDB
 *   1.5 cannot decode an INT64 column in it, and every engine must read every column of the lake);
 * - pages: data page v1, one per column chunk, every page ZSTD-compressed (Node's native ZSTD);
 * - row groups of at most `rowGroupRows` rows, each written out as soon as it is full, so the encoder holds one row
 *   group's values at a time;
 * - statistics of every column chunk: min_value and max_value (text compared as UTF-8 bytes, cut to 64 bytes as
 *   parquet-wasm cut them, the maximum then raised so that it still bounds the values), null_count 0, and whether
 *   each bound is exact; column orders TYPE_DEFINED_ORDER;
 * - the lean footer trimParquetFooter made: no Arrow schema, no page index, a short created_by.
 */

/** Rows per row group unless told otherwise: large enough to compress well, small enough to keep a writer lean. */
export const DEFAULT_ROW_GROUP_ROWS = 131_072;

/**
 * The ZSTD level of the pages unless told otherwise. Measured on the sample month's store-day files (one thread,
 * Node 24): level 1 gives the lake 25.5× at 0.3 ms per MB of JSON; 3 gives 26.0× at 0.5 ms/MB; higher levels cost
 * more time than the upload path has. Compaction, a monthly job, asks for more (compaction.ts).
 */
export const DEFAULT_COMPRESSION_LEVEL = 1;

/** How rowsToParquet and CanonicalParquetWriter lay a file out. */
export interface ParquetWriteOptions {
  /**
   * The most rows a row group holds (default DEFAULT_ROW_GROUP_ROWS). The writer keeps one row group's encoded
   * values in memory at a time (some 40 bytes a row for store-day rows), so this bounds its working memory; a row
   * group is also cut early once its values pass `maxRowGroupBytes`.
   */
  rowGroupRows?: number;
  /**
   * A row group is written out early, at a multiple of 1,024 rows, once its encoded values pass this many bytes
   * (default 64 MiB): rows of very long text would otherwise hold far more than a row count suggests.
   */
  maxRowGroupBytes?: number;
  /** The ZSTD level of every page, 1–22 (default DEFAULT_COMPRESSION_LEVEL). */
  compressionLevel?: number;
}

/** The `created_by` of our files: short, since it is repeated in every footer of a lake of small files. */
export const CREATED_BY = 'tillflow-columnar';

/** The default of ParquetWriteOptions.maxRowGroupBytes. */
const MAX_ROW_GROUP_BYTES = 64 * 1024 * 1024;

/** Parquet's physical types, encodings, codecs and page types (parquet.thrift) used here. */
const PhysicalType = { INT32: 1, INT64: 2, BYTE_ARRAY: 6 } as const;
const Encoding = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;
const ZSTD = 6;
const PageType = { DATA_PAGE: 0, DICTIONARY_PAGE: 2 } as const;
const ConvertedType = { UTF8: 0, TIMESTAMP_MILLIS: 9, INT_16: 16 } as const;
const REQUIRED = 0;

/** Statistics bounds of text are cut to this many bytes (parquet-wasm's default, kept so the footers match). */
const STATISTICS_TRUNCATE_BYTES = 64;

const TWO_POW_32 = 4_294_967_296;
const PAYMENT_METHOD_SET: ReadonlySet<string> = new Set(PAYMENT_METHODS);

const MAGIC = Uint8Array.from([0x50, 0x41, 0x52, 0x31]); // PAR1

/** The bounds of one column chunk's values as Parquet stores them (little-endian integers, UTF-8 text). */
interface Bounds {
  min: Uint8Array;
  max: Uint8Array;
  minExact: boolean;
  maxExact: boolean;
}

/** What the footer says of one column chunk. */
interface ChunkMeta {
  values: number;
  uncompressed: number;
  compressed: number;
  dictionaryPageOffset: number | undefined;
  dataPageOffset: number;
  bounds: Bounds | undefined;
}

/** What the footer says of one row group. */
interface RowGroupMeta {
  rows: number;
  offset: number;
  chunks: ChunkMeta[];
}

/** A page ready to be written: its encoded (uncompressed) bytes, how many values, and its kind. */
interface Page {
  bytes: Uint8Array;
  values: number;
  dictionary: boolean;
  encoding: number;
}

/**
 * Writes canonical rows as one Parquet file of the lake's schema, row group by row group: `add` every row, then
 * `finish` for the file. Every value is checked as it is added, since a column would otherwise wrap or truncate a
 * wrong one silently: ValidationError names the row (counted from 0 over the whole file) and the column.
 */
export class CanonicalParquetWriter {
  private readonly rowGroupRows: number;
  private readonly maxRowGroupBytes: number;
  private readonly compressor: ZstdPageCompressor;
  private readonly set: ColumnSet;
  private readonly rowGroups: RowGroupMeta[] = [];
  /** Rows in the current row group. */
  private groupRows = 0;
  /** Rows before the current row group. */
  private writtenRows = 0;
  /** Set once the writer takes no more rows: finished, discarded, or failed on a row. */
  private unusable = false;
  private discarded = false;
  /** Set once the column buffers went back to the pool. */
  private released = false;

  constructor(options: ParquetWriteOptions = {}) {
    this.rowGroupRows = rowGroupRowsOf(options);
    this.maxRowGroupBytes = options.maxRowGroupBytes ?? MAX_ROW_GROUP_BYTES;
    if (!(this.maxRowGroupBytes > 0))
      throw new RangeError(`maxRowGroupBytes must be positive, not ${this.maxRowGroupBytes}`);
    this.compressor = zstdPageCompressor(compressionLevelOf(options));
    this.set = spareSets.pop() ?? new ColumnSet();
    this.set.out.length = 0;
    this.set.out.append(MAGIC);
  }

  /** Rows added so far. */
  get rows(): number {
    return this.writtenRows + this.groupRows;
  }

  /** Adds one row; writes the row group out when it is full. */
  add(row: CanonicalRow): void {
    if (this.unusable) throw this.unusableError();
    // Set until the row is in every column: a row that fails a check leaves the columns before it holding a value
    // the others lack, so the writer takes nothing more (discard still gives its buffers back).
    this.unusable = true;
    const i = this.groupRows;
    const set = this.set;
    if (i === set.capacity) set.grow(this.rowGroupRows);
    const r = this.writtenRows + i;
    set.store.add(row.store_id, r);
    set.date.add(row.business_date, r);
    set.transaction.add(row.transaction_id, r);
    set.timestamp.add(row.timestamp_ms, r, i);
    set.offset.add(row.utc_offset_minutes, r, i);
    const sku = set.sku.add(row.item_sku, r, i);
    set.name.addFollowing(row.item_name, r, i, sku);
    set.quantity.add(row.quantity, r, i);
    set.unitPrice.addFollowing(row.unit_price_cents, r, i, sku);
    set.lineTotal.add(row.line_total_cents, r, i);
    set.discount.add(row.discount_cents, r, i);
    set.payment.add(row.payment_method, r, i);
    set.customer.add(row.customer_id, r);
    this.unusable = false;
    this.groupRows = i + 1;
    if (this.groupRows === this.rowGroupRows || ((i & 1023) === 1023 && set.bytes() > this.maxRowGroupBytes)) {
      this.flush();
    }
  }

  /** The whole file: the last row group, then the footer. An empty file has the schema and no row group. */
  finish(): Uint8Array {
    if (this.unusable) throw this.unusableError();
    this.unusable = true;
    if (this.groupRows > 0) this.flush();
    const { out, thrift } = this.set;
    thrift.reset();
    writeFileMetaData(thrift, this.rowGroups, this.writtenRows);
    out.append(thrift.view());
    out.uint32(thrift.size);
    out.append(MAGIC);
    const file = new Uint8Array(out.length);
    file.set(out.view());
    this.release();
    return file;
  }

  /**
   * Drops the file: nothing more is written, and the writer's buffers go to the next writer (as after `finish`).
   * For a file that turns out not to be wanted (no rows accepted, a second pass needed).
   */
  discard(): void {
    this.discarded = true;
    this.unusable = true;
    if (this.released) return;
    for (const column of this.set.columns) column.reset();
    this.groupRows = 0;
    this.set.out.length = 0;
    this.release();
  }

  /**
   * Hands the column buffers to the next writer (a store-day file is small: allocating them is a good part of its
   * cost), unless they grew large.
   */
  private release(): void {
    this.released = true;
    if (spareSets.length < MAX_SPARE_SETS && this.set.retainedBytes() <= MAX_SPARE_BYTES) spareSets.push(this.set);
  }

  private unusableError(): Error {
    if (this.discarded) return new Error('the Parquet writer was discarded');
    return new Error('the Parquet writer is finished, or failed on a row: it takes no more rows');
  }

  /** Encodes, compresses and appends the current row group, and starts the next. */
  private flush(): void {
    const rows = this.groupRows;
    const { out, thrift } = this.set;
    const group: RowGroupMeta = { rows, offset: out.length, chunks: [] };
    for (const column of this.set.columns) {
      const pages = column.pages(rows);
      const chunk: ChunkMeta = {
        values: rows,
        uncompressed: 0,
        compressed: 0,
        dictionaryPageOffset: undefined,
        dataPageOffset: 0,
        bounds: column.bounds(),
      };
      for (const page of pages) {
        if (page.dictionary) chunk.dictionaryPageOffset = out.length;
        else chunk.dataPageOffset = out.length;
        const compressed = this.compressor.compressView(page.bytes);
        thrift.reset();
        writePageHeader(thrift, page, compressed.length);
        out.append(thrift.view());
        out.append(compressed);
        chunk.uncompressed += thrift.size + page.bytes.length;
        chunk.compressed += thrift.size + compressed.length;
      }
      column.reset();
      group.chunks.push(chunk);
    }
    this.rowGroups.push(group);
    this.writtenRows += rows;
    this.groupRows = 0;
  }
}

/** The 13 columns of a writer, with room for `capacity` rows of a row group. */
class ColumnSet {
  readonly store = new PlainTextColumn('store_id');
  readonly date = new PlainTextColumn('business_date');
  readonly transaction = new PlainTextColumn('transaction_id');
  readonly timestamp = new PlainInt64Column('timestamp_ms');
  readonly offset = new PlainInt32Column('utc_offset_minutes');
  readonly sku = new DictTextColumn('item_sku');
  readonly name = new DictTextColumn('item_name');
  readonly quantity = new DictNumberColumn('quantity', false);
  readonly unitPrice = new DictNumberColumn('unit_price_cents', true);
  readonly lineTotal = new DictNumberColumn('line_total_cents', true);
  readonly discount = new DictNumberColumn('discount_cents', true);
  readonly payment = new DictTextColumn('payment_method', PAYMENT_METHOD_SET);
  readonly customer = new PlainTextColumn('customer_id');
  /** In CANONICAL_COLUMNS order. */
  readonly columns: readonly EncodedColumn[] = [
    this.store,
    this.date,
    this.transaction,
    this.timestamp,
    this.offset,
    this.sku,
    this.name,
    this.quantity,
    this.unitPrice,
    this.lineTotal,
    this.discount,
    this.payment,
    this.customer,
  ];
  /** The file written so far. */
  readonly out = new ByteSink(16 * 1024);
  /** Page headers and the footer are written here, then copied into `out`. */
  readonly thrift = new CompactWriter(1024);
  capacity = 0;

  grow(rowGroupRows: number): void {
    this.capacity = Math.min(rowGroupRows, Math.max(1024, 2 * this.capacity));
    for (const column of this.columns) column.grow(this.capacity);
  }

  /** About how many bytes the current row group's values take. */
  bytes(): number {
    let bytes = 0;
    for (const column of this.columns) bytes += column.bytes();
    return bytes;
  }

  /** The bytes its buffers hold on to. */
  retainedBytes(): number {
    let bytes = 0;
    for (const column of this.columns) bytes += column.retainedBytes();
    return bytes + this.out.buf.length;
  }
}

/** Column sets of finished writers, for the next writers to reuse. */
const spareSets: ColumnSet[] = [];
const MAX_SPARE_SETS = 2;
const MAX_SPARE_BYTES = 16 * 1024 * 1024;

/** Canonical rows as one Parquet file (see CanonicalParquetWriter). */
export function encodeCanonicalRows(rows: readonly CanonicalRow[], options: ParquetWriteOptions = {}): Uint8Array {
  const writer = new CanonicalParquetWriter(options);
  for (const row of rows) writer.add(row);
  return writer.finish();
}

/** The row group size `options` ask for, checked. */
export function rowGroupRowsOf(options: ParquetWriteOptions): number {
  const rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
  if (!Number.isSafeInteger(rowGroupRows) || rowGroupRows < 1 || rowGroupRows > 2 ** 31 - 1) {
    throw new RangeError(`rowGroupRows must be a positive 32-bit integer, not ${rowGroupRows}`);
  }
  return rowGroupRows;
}

function compressionLevelOf(options: ParquetWriteOptions): number {
  const level = options.compressionLevel ?? DEFAULT_COMPRESSION_LEVEL;
  if (!Number.isInteger(level) || level < 1 || level > 22) {
    throw new RangeError(`compressionLevel must be an integer from 1 to 22, not ${level}`);
  }
  return level;
}

/** What the writer asks of every column. */
interface EncodedColumn {
  readonly name: CanonicalColumn;
  /** Room for `capacity` rows in the current row group. */
  grow(capacity: number): void;
  /** About how many bytes the current row group's values take. */
  bytes(): number;
  /** The bytes its buffers hold on to. */
  retainedBytes(): number;
  /** The pages of the current row group's `rows` values (a dictionary page first, if any). */
  pages(rows: number): Page[];
  /** The bounds of the current row group's values (undefined for none). */
  bounds(): Bounds | undefined;
  /** Forgets the current row group's values. */
  reset(): void;
}

/** A text column in PLAIN encoding: the values' bytes as they come, each after its length. */
class PlainTextColumn implements EncodedColumn {
  private readonly sink = new ByteSink(4096);
  private last: string | undefined = undefined;
  /** Where the last value's encoding (length, then bytes) starts, and its size. */
  private lastStart = 0;
  private lastSize = 0;
  /**
   * Repeats of the last value not written yet: a run (a file's store and date, a transaction's id and customer) is
   * written in one go when it ends, by doubling copies, rather than row by row.
   */
  private repeats = 0;
  /** The least and greatest values so far, and whether each is ASCII. */
  private min: string | undefined = undefined;
  private max = '';
  private minAscii = true;
  private maxAscii = true;

  constructor(readonly name: CanonicalColumn) {}

  add(value: string, row: number): void {
    if (value === this.last) {
      this.repeats++;
      return;
    }
    this.addNew(value, row);
  }

  private addNew(value: string, row: number): void {
    checkText(value, this.name, row);
    if (this.repeats > 0) this.writeRepeats();
    const sink = this.sink;
    const start = sink.length;
    const ascii = appendText(sink, value);
    if (this.min === undefined) {
      this.min = this.max = value;
      this.minAscii = this.maxAscii = ascii;
    } else if (compareText(value, ascii, this.min, this.minAscii) < 0) {
      this.min = value;
      this.minAscii = ascii;
    } else if (compareText(value, ascii, this.max, this.maxAscii) > 0) {
      this.max = value;
      this.maxAscii = ascii;
    }
    this.last = value;
    this.lastStart = start;
    this.lastSize = sink.length - start;
  }

  /** Writes the pending repeats of the last value, which is the last thing in the sink. */
  private writeRepeats(): void {
    const sink = this.sink;
    const size = this.lastSize;
    const total = this.repeats * size;
    this.repeats = 0;
    sink.ensure(total);
    const buf = sink.buf;
    const from = this.lastStart;
    const at = sink.length;
    if (total <= 64) {
      for (let k = 0; k < total; k++) buf[at + k] = buf[from + k] as number;
    } else {
      // [from, at) holds one copy; each step copies everything written so far, up to what is left.
      let done = 0;
      while (done < total) {
        const n = Math.min(size + done, total - done);
        buf.copyWithin(at + done, from, from + n);
        done += n;
      }
    }
    sink.length = at + total;
  }

  grow(): void {}

  bytes(): number {
    return this.sink.length + this.repeats * this.lastSize;
  }

  retainedBytes(): number {
    return this.sink.buf.length;
  }

  pages(rows: number): Page[] {
    if (this.repeats > 0) this.writeRepeats();
    return [{ bytes: this.sink.view(), values: rows, dictionary: false, encoding: Encoding.PLAIN }];
  }

  bounds(): Bounds | undefined {
    if (this.min === undefined) return undefined;
    return textBounds(Buffer.from(this.min, 'utf8'), Buffer.from(this.max, 'utf8'));
  }

  reset(): void {
    this.sink.length = 0;
    this.last = undefined;
    this.repeats = 0;
    this.min = undefined;
  }
}

/**
 * Compares two texts in Parquet's order for text, their UTF-8 bytes. JavaScript's own comparison (UTF-16 code
 * units) gives the same order unless both hold characters past U+D7FF (surrogates sort below U+E000–U+FFFF in
 * UTF-16, above in UTF-8): when either is ASCII it is used, otherwise the bytes are compared.
 */
function compareText(a: string, aAscii: boolean, b: string, bAscii: boolean): number {
  if (aAscii || bAscii) return a < b ? -1 : a === b ? 0 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** A text column in RLE_DICTIONARY encoding: each distinct value once, in order of appearance; per row its index. */
class DictTextColumn implements EncodedColumn {
  private readonly index = new Map<string, number>();
  private readonly values: string[] = [];
  private codes = new Int32Array(0);
  private last: string | undefined = undefined;
  private lastCode = 0;
  private units = 0;
  private readonly dictionary = new ByteSink(1024);
  /** For addFollowing: per key, the index of the value last seen with it (-1: none). */
  private hints = new Int32Array(0);
  /** The bounds of the dictionary last encoded by `pages`. */
  private encodedBounds: Bounds | undefined;

  constructor(
    readonly name: CanonicalColumn,
    private readonly allowed?: ReadonlySet<string>,
  ) {}

  /** Adds the value of row `i` (row `row` of the file) and returns its index in the dictionary. */
  add(value: string, row: number, i: number): number {
    // Most values repeat the row before (a transaction's payment method) or one seen before (a catalogue).
    if (value !== this.last) {
      let code = this.index.get(value);
      if (code === undefined) code = this.insert(value, row);
      this.last = value;
      this.lastCode = code;
    }
    this.codes[i] = this.lastCode;
    return this.lastCode;
  }

  /**
   * As `add`, for a value that mostly follows another column's (an item's name follows its SKU): the value last
   * seen with the same `key` (the other column's index) is tried first, which spares hashing the text.
   */
  addFollowing(value: string, row: number, i: number, key: number): void {
    let code = key < this.hints.length ? (this.hints[key] as number) : -1;
    if (code < 0 || this.values[code] !== value) {
      code = this.index.get(value) ?? this.insert(value, row);
      if (key >= this.hints.length) this.hints = grownHints(this.hints, key);
      this.hints[key] = code;
    }
    this.codes[i] = code;
  }

  private insert(value: string, row: number): number {
    checkText(value, this.name, row);
    if (this.allowed && !this.allowed.has(value)) invalid(row, this.name, value);
    const code = this.values.length;
    this.index.set(value, code);
    this.values.push(value);
    this.units += value.length;
    return code;
  }

  grow(capacity: number): void {
    this.codes = grown(this.codes, capacity);
  }

  bytes(): number {
    return 3 * this.units + 4 * this.values.length;
  }
  retainedBytes(): number {
    return this.codes.byteLength + this.dictionary.buf.length;
  }

  pages(rows: number): Page[] {
    const dictionary = this.dictionary;
    dictionary.length = 0;
    // The bounds come from the dictionary (every entry is used): far fewer comparisons than one per row.
    let minStart = -1;
    let minLength = 0;
    let maxStart = -1;
    let maxLength = 0;
    for (const value of this.values) {
      const start = dictionary.length + 4;
      appendText(dictionary, value);
      const length = dictionary.length - start;
      const buf = dictionary.buf;
      if (minStart < 0) {
        minStart = maxStart = start;
        minLength = maxLength = length;
      } else if (compareBytes(buf, start, length, buf, minStart, minLength) < 0) {
        minStart = start;
        minLength = length;
      } else if (compareBytes(buf, start, length, buf, maxStart, maxLength) > 0) {
        maxStart = start;
        maxLength = length;
      }
    }
    const buf = dictionary.buf;
    this.encodedBounds =
      minStart < 0
        ? undefined
        : textBounds(buf.subarray(minStart, minStart + minLength), buf.subarray(maxStart, maxStart + maxLength));
    return [
      { bytes: dictionary.view(), values: this.values.length, dictionary: true, encoding: Encoding.PLAIN },
      indexPage(this.codes, rows, this.values.length),
    ];
  }

  bounds(): Bounds | undefined {
    return this.encodedBounds;
  }

  reset(): void {
    this.index.clear();
    this.values.length = 0;
    this.last = undefined;
    this.units = 0;
    this.encodedBounds = undefined;
    this.hints.fill(-1);
  }
}

/** An integer column in RLE_DICTIONARY encoding: INT32 (`wide` false) or INT64, each value a safe integer. */
class DictNumberColumn implements EncodedColumn {
  private readonly index = new Map<number, number>();
  private readonly values: number[] = [];
  private codes = new Int32Array(0);
  /** For addFollowing: per key, the index of the value last seen with it (-1: none). */
  private hints = new Int32Array(0);
  private last = Number.NaN;
  private lastCode = 0;
  private min = 0;
  private max = 0;

  constructor(
    readonly name: CanonicalColumn,
    private readonly wide: boolean,
  ) {}

  add(value: number, row: number, i: number): void {
    if (value !== this.last) {
      let code = this.index.get(value);
      if (code === undefined) code = this.insert(value, row);
      this.last = value;
      this.lastCode = code;
    }
    this.codes[i] = this.lastCode;
  }

  /** As `add`, for a value that mostly follows another column's (a price follows its SKU); see DictTextColumn. */
  addFollowing(value: number, row: number, i: number, key: number): void {
    let code = key < this.hints.length ? (this.hints[key] as number) : -1;
    if (code < 0 || this.values[code] !== value) {
      code = this.index.get(value) ?? this.insert(value, row);
      if (key >= this.hints.length) this.hints = grownHints(this.hints, key);
      this.hints[key] = code;
    }
    this.codes[i] = code;
  }

  private insert(value: number, row: number): number {
    if (this.wide ? !Number.isSafeInteger(value) : (value | 0) !== value) invalid(row, this.name, value);
    const code = this.values.length;
    if (code === 0) {
      this.min = this.max = value;
    } else if (value < this.min) {
      this.min = value;
    } else if (value > this.max) {
      this.max = value;
    }
    this.index.set(value, code);
    this.values.push(value);
    return code;
  }

  grow(capacity: number): void {
    this.codes = grown(this.codes, capacity);
  }

  bytes(): number {
    return (this.wide ? 8 : 4) * this.values.length;
  }
  retainedBytes(): number {
    return this.codes.byteLength;
  }

  pages(rows: number): Page[] {
    const n = this.values.length;
    let bytes: Uint8Array;
    if (this.wide) {
      const halves = new Int32Array(2 * n);
      for (let v = 0; v < n; v++) setInt64(halves, v, this.values[v] as number);
      bytes = new Uint8Array(halves.buffer);
    } else {
      bytes = new Uint8Array(Int32Array.from(this.values).buffer);
    }
    return [{ bytes, values: n, dictionary: true, encoding: Encoding.PLAIN }, indexPage(this.codes, rows, n)];
  }

  bounds(): Bounds | undefined {
    if (this.values.length === 0) return undefined;
    const encode = this.wide ? int64Bytes : int32Bytes;
    return { min: encode(this.min), max: encode(this.max), minExact: true, maxExact: true };
  }

  reset(): void {
    this.index.clear();
    this.values.length = 0;
    this.last = Number.NaN;
    this.hints.fill(-1);
  }
}

/** The instant (INT64, PLAIN): each value as 8 little-endian bytes, written as two 32-bit halves. */
class PlainInt64Column implements EncodedColumn {
  private halves = new Int32Array(0);
  private last = Number.NaN;
  private lastLow = 0;
  private lastHigh = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private count = 0;

  constructor(readonly name: CanonicalColumn) {}

  add(value: number, row: number, i: number): void {
    if (value !== this.last) {
      if (!Number.isSafeInteger(value)) invalid(row, this.name, value);
      // `| 0` keeps the low 32 bits of any safe integer (ToInt32 is modular), and the floored quotient is the high
      // word in two's complement, negative values included.
      this.lastLow = value | 0;
      this.lastHigh = Math.floor(value / TWO_POW_32);
      this.last = value;
      if (value < this.min) this.min = value;
      if (value > this.max) this.max = value;
    }
    this.halves[2 * i] = this.lastLow;
    this.halves[2 * i + 1] = this.lastHigh;
    this.count = i + 1;
  }

  grow(capacity: number): void {
    this.halves = grown(this.halves, 2 * capacity);
  }

  bytes(): number {
    return 8 * this.count;
  }
  retainedBytes(): number {
    return this.halves.byteLength;
  }

  pages(rows: number): Page[] {
    const bytes = new Uint8Array(this.halves.buffer, 0, 8 * rows);
    return [{ bytes, values: rows, dictionary: false, encoding: Encoding.PLAIN }];
  }

  bounds(): Bounds | undefined {
    if (this.count === 0) return undefined;
    return { min: int64Bytes(this.min), max: int64Bytes(this.max), minExact: true, maxExact: true };
  }

  reset(): void {
    this.last = Number.NaN;
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
    this.count = 0;
  }
}

/** The UTC offset (INT32 holding a 16-bit integer, PLAIN). */
class PlainInt32Column implements EncodedColumn {
  private values = new Int32Array(0);
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private count = 0;

  constructor(readonly name: CanonicalColumn) {}

  add(value: number, row: number, i: number): void {
    if ((value << 16) >> 16 !== value) invalid(row, this.name, value);
    this.values[i] = value;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.count = i + 1;
  }

  grow(capacity: number): void {
    this.values = grown(this.values, capacity);
  }

  bytes(): number {
    return 4 * this.count;
  }
  retainedBytes(): number {
    return this.values.byteLength;
  }

  pages(rows: number): Page[] {
    const bytes = new Uint8Array(this.values.buffer, 0, 4 * rows);
    return [{ bytes, values: rows, dictionary: false, encoding: Encoding.PLAIN }];
  }

  bounds(): Bounds | undefined {
    if (this.count === 0) return undefined;
    return { min: int32Bytes(this.min), max: int32Bytes(this.max), minExact: true, maxExact: true };
  }

  reset(): void {
    this.min = Number.POSITIVE_INFINITY;
    this.max = Number.NEGATIVE_INFINITY;
    this.count = 0;
  }
}

/** A data page of dictionary indices: the bit width in one byte, then the indices in the RLE/bit-packed hybrid. */
function indexPage(codes: Int32Array, rows: number, entries: number): Page {
  const width = bitWidth(entries - 1);
  const sink = new ByteSink(1 + Math.ceil((rows * width) / 8) + 16);
  sink.buf[0] = width;
  sink.length = 1;
  appendHybrid(sink, codes, rows, width);
  return { bytes: sink.view(), values: rows, dictionary: false, encoding: Encoding.RLE_DICTIONARY };
}

/** `hints` with room for `key`, the new entries -1. */
function grownHints(hints: Int32Array, key: number): Int32Array<ArrayBuffer> {
  const next = new Int32Array(Math.max(64, 2 * hints.length, key + 1)).fill(-1);
  next.set(hints);
  return next;
}

/** `array` with room for `length` values, its values kept. */
function grown<T extends Int32Array>(array: T, length: number): T {
  if (array.length >= length) return array;
  const next = new Int32Array(length) as T;
  next.set(array);
  return next;
}

function setInt64(halves: Int32Array, at: number, value: number): void {
  halves[2 * at] = value | 0;
  halves[2 * at + 1] = Math.floor(value / TWO_POW_32);
}

function int32Bytes(value: number): Uint8Array {
  return new Uint8Array(Int32Array.of(value).buffer);
}

function int64Bytes(value: number): Uint8Array {
  const halves = new Int32Array(2);
  setInt64(halves, 0, value);
  return new Uint8Array(halves.buffer);
}

/**
 * Text bounds as parquet-wasm stored them: a bound longer than STATISTICS_TRUNCATE_BYTES is cut at a character
 * boundary; a cut maximum has its last character that can be raised raised by one, so that it stays above every
 * value (and the bound is flagged inexact). Copies the bytes (the caller's buffers are reused).
 */
function textBounds(min: Uint8Array, max: Uint8Array): Bounds {
  const limit = STATISTICS_TRUNCATE_BYTES;
  let minBytes: Uint8Array = Uint8Array.from(min);
  let minExact = true;
  if (min.length > limit) {
    let split = limit;
    while (split > 0 && isContinuation(min[split] as number)) split--;
    if (split > 0) {
      minBytes = min.slice(0, split);
      minExact = false;
    }
  }
  let maxBytes: Uint8Array = Uint8Array.from(max);
  let maxExact = true;
  if (max.length > limit) {
    let split = limit;
    while (split > limit - 3 && split > 0 && isContinuation(max[split] as number)) split--;
    const raised = incrementUtf8(max.subarray(0, split));
    if (raised) {
      maxBytes = raised;
      maxExact = false;
    }
  }
  return { min: minBytes, max: maxBytes, minExact, maxExact };
}

function isContinuation(byte: number): boolean {
  return (byte & 0xc0) === 0x80;
}

/**
 * `text` (well-formed UTF-8) with its last character that can be raised by one code point without changing its
 * encoded length raised, and what followed it dropped; undefined when no character can be.
 */
function incrementUtf8(text: Uint8Array): Uint8Array | undefined {
  let end = text.length;
  while (end > 0) {
    let start = end - 1;
    while (start > 0 && isContinuation(text[start] as number)) start--;
    const char = Buffer.from(text.subarray(start, end)).toString('utf8');
    const codePoint = char.codePointAt(0) as number;
    const next = codePoint + 1;
    const isSurrogate = next >= 0xd800 && next <= 0xdfff;
    if (next <= 0x10ffff && !isSurrogate) {
      const encoded = Buffer.from(String.fromCodePoint(next), 'utf8');
      if (encoded.length === end - start) {
        const out = new Uint8Array(end);
        out.set(text.subarray(0, start));
        out.set(encoded, start);
        return out;
      }
    }
    end = start;
  }
  return undefined;
}

function checkText(value: unknown, column: CanonicalColumn, row: number): asserts value is string {
  if (typeof value !== 'string') invalid(row, column, value);
  if (!value.isWellFormed()) {
    // UTF-8 cannot carry it: an encoder would put U+FFFD in its place and the value would not come back.
    throw new ValidationError(`${column} ${JSON.stringify(value)} is not well-formed Unicode (a lone surrogate)`);
  }
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
    case 'timestamp_ms':
    case 'unit_price_cents':
    case 'line_total_cents':
    case 'discount_cents':
      return 'a safe integer';
    default:
      return 'a string';
  }
}

// The page headers and the footer (parquet.thrift field ids), written field by field.

function writePageHeader(w: CompactWriter, page: Page, compressedSize: number): void {
  w.i32(1, page.dictionary ? PageType.DICTIONARY_PAGE : PageType.DATA_PAGE);
  w.i32(2, page.bytes.length);
  w.i32(3, compressedSize);
  if (page.dictionary) {
    // DictionaryPageHeader: num_values, encoding PLAIN, is_sorted false.
    w.beginStruct(7);
    w.i32(1, page.values);
    w.i32(2, Encoding.PLAIN);
    w.bool(3, false);
    w.end();
  } else {
    // DataPageHeader: num_values, encoding, definition and repetition level encodings (RLE; a required flat column
    // stores no levels).
    w.beginStruct(5);
    w.i32(1, page.values);
    w.i32(2, page.encoding);
    w.i32(3, Encoding.RLE);
    w.i32(4, Encoding.RLE);
    w.end();
  }
  w.end();
}

type Annotation = 'string' | 'timestamp' | 'int16' | 'none';

/** The Parquet type of each canonical column: physical type, whether dictionary-encoded, logical annotation. */
const COLUMN_TYPES: Record<CanonicalColumn, { physical: number; dictionary: boolean; annotation: Annotation }> = {
  store_id: { physical: PhysicalType.BYTE_ARRAY, dictionary: false, annotation: 'string' },
  business_date: { physical: PhysicalType.BYTE_ARRAY, dictionary: false, annotation: 'string' },
  transaction_id: { physical: PhysicalType.BYTE_ARRAY, dictionary: false, annotation: 'string' },
  timestamp_ms: { physical: PhysicalType.INT64, dictionary: false, annotation: 'timestamp' },
  utc_offset_minutes: { physical: PhysicalType.INT32, dictionary: false, annotation: 'int16' },
  item_sku: { physical: PhysicalType.BYTE_ARRAY, dictionary: true, annotation: 'string' },
  item_name: { physical: PhysicalType.BYTE_ARRAY, dictionary: true, annotation: 'string' },
  quantity: { physical: PhysicalType.INT32, dictionary: true, annotation: 'none' },
  unit_price_cents: { physical: PhysicalType.INT64, dictionary: true, annotation: 'none' },
  line_total_cents: { physical: PhysicalType.INT64, dictionary: true, annotation: 'none' },
  discount_cents: { physical: PhysicalType.INT64, dictionary: true, annotation: 'none' },
  payment_method: { physical: PhysicalType.BYTE_ARRAY, dictionary: true, annotation: 'string' },
  customer_id: { physical: PhysicalType.BYTE_ARRAY, dictionary: false, annotation: 'string' },
};

const COLUMN_NAMES = Object.keys(COLUMN_TYPES) as CanonicalColumn[];
const utf8 = new TextEncoder();
const COLUMN_NAME_BYTES = COLUMN_NAMES.map((name) => [utf8.encode(name)]);
const CREATED_BY_BYTES = utf8.encode(CREATED_BY);
/** The root of the schema, named as Arrow writers name it. */
const ROOT_NAME_BYTES = utf8.encode('arrow_schema');
const PLAIN_ENCODINGS = [Encoding.PLAIN, Encoding.RLE];
const DICTIONARY_ENCODINGS = [Encoding.PLAIN, Encoding.RLE, Encoding.RLE_DICTIONARY];

/** SchemaElement fields after the name: converted type and logical type. */
function writeAnnotation(w: CompactWriter, annotation: Annotation): void {
  switch (annotation) {
    case 'string':
      // UTF8; LogicalType.STRING.
      w.i32(6, ConvertedType.UTF8);
      w.beginStruct(10);
      w.beginStruct(1);
      w.end();
      w.end();
      return;
    case 'timestamp':
      // TIMESTAMP_MILLIS; LogicalType.TIMESTAMP { isAdjustedToUTC: true, unit: MILLIS }.
      w.i32(6, ConvertedType.TIMESTAMP_MILLIS);
      w.beginStruct(10);
      w.beginStruct(8);
      w.bool(1, true);
      w.beginStruct(2);
      w.beginStruct(1);
      w.end();
      w.end();
      w.end();
      w.end();
      return;
    case 'int16':
      // INT_16; LogicalType.INTEGER { bitWidth: 16, isSigned: true }.
      w.i32(6, ConvertedType.INT_16);
      w.beginStruct(10);
      w.beginStruct(10);
      w.i8(1, 16);
      w.bool(2, true);
      w.end();
      w.end();
      return;
    case 'none':
      return;
  }
}

/** FileMetaData: version, schema, num_rows, row_groups, created_by, column_orders. */
function writeFileMetaData(w: CompactWriter, rowGroups: readonly RowGroupMeta[], rows: number): void {
  w.i32(1, 1);
  w.list(2, WireType.STRUCT, COLUMN_NAMES.length + 1);
  w.beginElement();
  w.binary(4, ROOT_NAME_BYTES);
  w.i32(5, COLUMN_NAMES.length);
  w.end();
  COLUMN_NAMES.forEach((name, c) => {
    const type = COLUMN_TYPES[name];
    w.beginElement();
    w.i32(1, type.physical);
    w.i32(3, REQUIRED);
    w.binary(4, (COLUMN_NAME_BYTES[c] as Uint8Array[])[0] as Uint8Array);
    writeAnnotation(w, type.annotation);
    w.end();
  });
  w.i64(3, rows);
  w.list(4, WireType.STRUCT, rowGroups.length);
  for (let g = 0; g < rowGroups.length; g++) writeRowGroup(w, rowGroups[g] as RowGroupMeta, g);
  w.binary(6, CREATED_BY_BYTES);
  // ColumnOrder.TYPE_ORDER (TypeDefinedOrder) for every column: how the statistics compare.
  w.list(7, WireType.STRUCT, COLUMN_NAMES.length);
  for (let c = 0; c < COLUMN_NAMES.length; c++) {
    w.beginElement();
    w.beginStruct(1);
    w.end();
    w.end();
  }
  w.end();
}

/** RowGroup: columns, total_byte_size, num_rows, file_offset, total_compressed_size, ordinal. */
function writeRowGroup(w: CompactWriter, group: RowGroupMeta, ordinal: number): void {
  w.beginElement();
  w.list(1, WireType.STRUCT, group.chunks.length);
  let uncompressed = 0;
  let compressed = 0;
  group.chunks.forEach((chunk, c) => {
    uncompressed += chunk.uncompressed;
    compressed += chunk.compressed;
    const type = COLUMN_TYPES[COLUMN_NAMES[c] as CanonicalColumn];
    // ColumnChunk: file_offset (deprecated; 0, as parquet-wasm wrote it), meta_data.
    w.beginElement();
    w.i64(2, 0);
    w.beginStruct(3);
    w.i32(1, type.physical);
    w.i32List(2, type.dictionary ? DICTIONARY_ENCODINGS : PLAIN_ENCODINGS);
    w.binaryList(3, COLUMN_NAME_BYTES[c] as Uint8Array[]);
    w.i32(4, ZSTD);
    w.i64(5, chunk.values);
    w.i64(6, chunk.uncompressed);
    w.i64(7, chunk.compressed);
    w.i64(9, chunk.dataPageOffset);
    if (chunk.dictionaryPageOffset !== undefined) w.i64(11, chunk.dictionaryPageOffset);
    const bounds = chunk.bounds;
    if (bounds) {
      // Statistics: null_count, max_value, min_value, is_max_value_exact, is_min_value_exact.
      w.beginStruct(12);
      w.i64(3, 0);
      w.binary(5, bounds.max);
      w.binary(6, bounds.min);
      w.bool(7, bounds.maxExact);
      w.bool(8, bounds.minExact);
      w.end();
    }
    w.end();
    w.end();
  });
  w.i64(2, uncompressed);
  w.i64(3, group.rows);
  w.i64(5, group.offset);
  w.i64(6, compressed);
  w.i16(7, ordinal);
  w.end();
}
