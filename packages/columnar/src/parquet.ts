import { type CanonicalRow, ValidationError } from '@tillflow/core';
import { type Table, tableFromIPC } from 'apache-arrow';
import { CANONICAL_COLUMNS, type CanonicalColumn, isCanonicalColumn, STRING_COLUMNS } from './arrow-schema';
import { numberColumn, stringColumn } from './arrow-table';
import { encodeCanonicalRows, type ParquetWriteOptions } from './parquet-encoder';
import { parquetToArrow } from './parquet-io';
import { parquetWasm } from './parquet-wasm';

export {
  CanonicalParquetWriter,
  DEFAULT_COMPRESSION_LEVEL,
  DEFAULT_ROW_GROUP_ROWS,
  type ParquetWriteOptions,
} from './parquet-encoder';

const STRING_COLUMN_SET: ReadonlySet<CanonicalColumn> = new Set(STRING_COLUMNS);

/**
 * Canonical rows as a Parquet file, in the same order: the canonical columns (CANONICAL_COLUMNS), ZSTD-compressed,
 * each column in the encoding that measured smallest (dictionary for the catalogue columns, plain for the columns
 * that come in runs), with column-chunk statistics (min, max, null count) that let a query engine skip a file or a
 * row group, and a lean footer. Written by our own encoder (CanonicalParquetWriter, parquet-encoder.ts). An empty
 * list gives a valid file with the schema and 0 rows.
 *
 * Throws ValidationError when a row holds a value its column cannot store (a fractional quantity, an unsafe
 * integer, an unknown payment method, text with a lone surrogate).
 */
export function rowsToParquet(rows: readonly CanonicalRow[], options: ParquetWriteOptions = {}): Uint8Array {
  return encodeCanonicalRows(rows, options);
}

/**
 * Every row of a Parquet file of canonical rows, in file order, exactly as written (rowsToParquet's inverse).
 * Reads any Parquet file with the canonical columns (names as CANONICAL_COLUMNS, strings as text, the rest as
 * integers or millisecond timestamps), not only ours. Throws ValidationError when a column is missing or of
 * another kind.
 */
export function parquetToRows(bytes: Uint8Array): CanonicalRow[] {
  return tableToRows(parquetToArrow(bytes));
}

/** The rows of an Arrow table of canonical columns. */
export function tableToRows(table: Table): CanonicalRow[] {
  const {
    store_id,
    business_date,
    transaction_id,
    timestamp_ms,
    utc_offset_minutes,
    item_sku,
    item_name,
    quantity,
    unit_price_cents,
    line_total_cents,
    discount_cents,
    payment_method,
    customer_id,
  } = columnsOf(table, CANONICAL_COLUMNS);
  const rows = new Array<CanonicalRow>(table.numRows);
  for (let i = 0; i < rows.length; i++) {
    // One literal with the fields in CanonicalRow's order, so that every row object shares one hidden class.
    rows[i] = {
      store_id: store_id[i] as string,
      business_date: business_date[i] as string,
      transaction_id: transaction_id[i] as string,
      timestamp_ms: timestamp_ms[i] as number,
      utc_offset_minutes: utc_offset_minutes[i] as number,
      item_sku: item_sku[i] as string,
      item_name: item_name[i] as string,
      quantity: quantity[i] as number,
      unit_price_cents: unit_price_cents[i] as number,
      line_total_cents: line_total_cents[i] as number,
      discount_cents: discount_cents[i] as number,
      payment_method: payment_method[i] as CanonicalRow['payment_method'],
      customer_id: customer_id[i] as string,
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
  if (wanted.length === 0) return {} as CanonicalColumns<C>;
  const wasm = parquetWasm();
  // readParquet ignores `columns` (LOCAL-STACK.md); ParquetFile.read honours it and decodes only those chunks.
  const file = await wasm.ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  let table: Table;
  try {
    table = tableFromIPC((await file.read({ columns: wanted })).intoIPCStream());
  } finally {
    file.free();
  }
  return columnsOf(table, wanted);
}

/** The named columns of `table` as plain arrays: text columns as strings, the others as numbers. */
function columnsOf<C extends CanonicalColumn>(table: Table, columns: readonly C[]): CanonicalColumns<C> {
  const out = {} as Record<CanonicalColumn, (string | number)[]>;
  for (const column of columns) {
    out[column] = STRING_COLUMN_SET.has(column) ? stringColumn(table, column) : numberColumn(table, column);
  }
  return out as unknown as CanonicalColumns<C>;
}
