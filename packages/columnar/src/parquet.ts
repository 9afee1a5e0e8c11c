import { type CanonicalRow, ValidationError } from '@tillflow/core';
import { type Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { CANONICAL_COLUMNS, type CanonicalColumn, isCanonicalColumn, STRING_COLUMNS } from './arrow-schema';
import { numberColumn, rowsToArrowTable, stringColumn } from './arrow-table';
import { parquetWasm } from './parquet-wasm';

const STRING_COLUMN_SET: ReadonlySet<CanonicalColumn> = new Set(STRING_COLUMNS);

/** Rows per row group unless told otherwise: large enough to compress well, small enough to keep a writer lean. */
export const DEFAULT_ROW_GROUP_ROWS = 131_072;

/** How rowsToParquet lays a file out. */
export interface ParquetWriteOptions {
  /**
   * The most rows a row group holds (default DEFAULT_ROW_GROUP_ROWS). The rows also go to the Parquet writer in
   * Arrow batches of this size, so it bounds the writer's working memory as well.
   */
  rowGroupRows?: number;
}

/** The `created_by` of our files: short, since it is repeated in every footer of a lake of small files. */
const CREATED_BY = 'tillflow-columnar';

/**
 * Canonical rows as a Parquet file, in the same order: the columns of CANONICAL_ARROW_SCHEMA, ZSTD-compressed,
 * strings dictionary-encoded, the timestamp delta-encoded, with column-chunk statistics (min, max, count) that let a
 * query engine skip a file or a row group. An empty list gives a valid file with the schema and 0 rows.
 *
 * Throws ValidationError when a row holds a value its column cannot store (a fractional quantity, an unsafe
 * integer, an unknown payment method).
 */
export function rowsToParquet(rows: readonly CanonicalRow[], options: ParquetWriteOptions = {}): Uint8Array {
  const rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
  if (!Number.isSafeInteger(rowGroupRows) || rowGroupRows < 1) {
    throw new RangeError(`rowGroupRows must be a positive integer, not ${rowGroupRows}`);
  }
  const ipc = tableToIPC(rowsToArrowTable(rows, rowGroupRows), 'stream');
  const wasm = parquetWasm();
  // writeParquet consumes (frees) the wasm table: it must not be freed again here.
  return wasm.writeParquet(wasm.Table.fromIPCStream(ipc), writerProperties(rowGroupRows));
}

function writerProperties(rowGroupRows: number) {
  const { Compression, EnabledStatistics, Encoding, WriterPropertiesBuilder } = parquetWasm();
  return (
    new WriterPropertiesBuilder()
      .setCreatedBy(CREATED_BY)
      .setCompression(Compression.ZSTD)
      .setDictionaryEnabled(true)
      // Chunk statistics are what engines prune with; page statistics would add a column index per chunk, which in
      // a file of one page per column repeats the chunk's figures.
      .setStatisticsEnabled(EnabledStatistics.Chunk)
      .setMaxRowGroupSize(rowGroupRows)
      // Instants rise through a day and repeat within a transaction: deltas are a few bits where a dictionary of
      // nearly distinct values would cost more than the values.
      .setColumnDictionaryEnabled('timestamp_ms', false)
      .setColumnEncoding('timestamp_ms', Encoding.DELTA_BINARY_PACKED)
      .build()
  );
}

/**
 * Every row of a Parquet file of canonical rows, in file order, exactly as written (rowsToParquet's inverse).
 * Reads any Parquet file with the canonical columns (names as CANONICAL_COLUMNS, strings as text, the rest as
 * integers or millisecond timestamps), not only ours. Throws ValidationError when a column is missing or of
 * another kind.
 */
export function parquetToRows(bytes: Uint8Array): CanonicalRow[] {
  const wasm = parquetWasm();
  const table = tableFromIPC(wasm.readParquet(bytes).intoIPCStream());
  return tableToRows(table);
}

/** The rows of an Arrow table of canonical columns. */
export function tableToRows(table: Table): CanonicalRow[] {
  const store = stringColumn(table, 'store_id');
  const date = stringColumn(table, 'business_date');
  const transaction = stringColumn(table, 'transaction_id');
  const timestamp = numberColumn(table, 'timestamp_ms');
  const offset = numberColumn(table, 'utc_offset_minutes');
  const sku = stringColumn(table, 'item_sku');
  const name = stringColumn(table, 'item_name');
  const quantity = numberColumn(table, 'quantity');
  const unitPrice = numberColumn(table, 'unit_price_cents');
  const lineTotal = numberColumn(table, 'line_total_cents');
  const discount = numberColumn(table, 'discount_cents');
  const payment = stringColumn(table, 'payment_method');
  const customer = stringColumn(table, 'customer_id');
  const rows = new Array<CanonicalRow>(table.numRows);
  for (let i = 0; i < rows.length; i++) {
    // One literal with the fields in CanonicalRow's order, so that every row object shares one hidden class.
    rows[i] = {
      store_id: store[i] as string,
      business_date: date[i] as string,
      transaction_id: transaction[i] as string,
      timestamp_ms: timestamp[i] as number,
      utc_offset_minutes: offset[i] as number,
      item_sku: sku[i] as string,
      item_name: name[i] as string,
      quantity: quantity[i] as number,
      unit_price_cents: unitPrice[i] as number,
      line_total_cents: lineTotal[i] as number,
      discount_cents: discount[i] as number,
      payment_method: payment[i] as CanonicalRow['payment_method'],
      customer_id: customer[i] as string,
    };
  }
  return rows;
}

/** Named canonical columns as plain arrays, one value per row in file order. */
export type CanonicalColumns<C extends CanonicalColumn> = { [K in C]: CanonicalRow[K][] };

/**
 * Only the named columns of a Parquet file of canonical rows, as plain arrays (strings, or numbers for integers and
 * epoch milliseconds). Only those columns are decoded, so a metric that needs two columns does not pay for thirteen.
 * Throws ValidationError for a name that is not a canonical column.
 */
export async function readParquetColumns<C extends CanonicalColumn>(
  bytes: Uint8Array,
  columns: readonly C[],
): Promise<CanonicalColumns<C>> {
  for (const column of columns) {
    if (!isCanonicalColumn(column)) {
      throw new ValidationError(`"${column}" is not a canonical column (${CANONICAL_COLUMNS.join(', ')})`);
    }
  }
  const wanted = [...new Set(columns)];
  const out = {} as Record<CanonicalColumn, (string | number)[]>;
  if (wanted.length === 0) return out as unknown as CanonicalColumns<C>;
  const wasm = parquetWasm();
  // readParquet ignores `columns` (LOCAL-STACK.md); ParquetFile.read honours it and decodes only those chunks.
  const file = await wasm.ParquetFile.fromFile(new Blob([bytes]));
  let table: Table;
  try {
    table = tableFromIPC((await file.read({ columns: wanted })).intoIPCStream());
  } finally {
    file.free();
  }
  for (const column of wanted) {
    out[column] = STRING_COLUMN_SET.has(column) ? stringColumn(table, column) : numberColumn(table, column);
  }
  return out as unknown as CanonicalColumns<C>;
}
