import type { MarketplaceRow } from '@tillflow/core';
import {
  Bool,
  type DataType,
  Dictionary,
  Field,
  Int32,
  Int64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { trimParquetFooter } from './parquet-footer';
import { parquetWasm } from './parquet-wasm';

/**
 * The marketplace lake's columns (`processed/marketplace/channel=<c>/date=<d>/<name>.parquet`), in file order: the
 * report's channel, then MarketplaceRow's fields. A separate schema from the store line items' (arrow-schema.ts)
 * because a marketplace line has no store, till time, payment method or customer, and has fields a till line lacks
 * (status, fulfilment, channel, ship-state, category, B2B); an engine reads both tables side by side.
 *
 * Text columns are dictionaries in Arrow (few distinct values: statuses, categories, states); `nullable` marks the
 * fields the marketplace leaves blank on real exports. Money is Int64 cents, as in the sales table.
 */
const STRING = (): DataType => new Dictionary(new Utf8(), new Int32());
export const MARKETPLACE_FIELDS = [
  ['channel', STRING, false],
  ['order_id', () => new Utf8(), false],
  ['business_date', STRING, false],
  ['status', STRING, false],
  ['status_class', STRING, false],
  ['fulfilment', STRING, false],
  ['sales_channel', STRING, false],
  ['ship_service_level', STRING, false],
  ['style', STRING, false],
  ['sku', STRING, false],
  ['category', STRING, false],
  ['size', STRING, false],
  ['asin', STRING, false],
  ['courier_status', STRING, true],
  ['quantity', () => new Int32(), false],
  ['currency', STRING, true],
  ['amount_cents', () => new Int64(), true],
  ['ship_city', STRING, true],
  ['ship_state', STRING, true],
  ['ship_postal_code', STRING, true],
  ['ship_country', STRING, true],
  ['promotion_ids', () => new Utf8(), true],
  ['b2b', () => new Bool(), false],
  ['fulfilled_by', STRING, true],
] as const satisfies readonly (readonly [keyof MarketplaceRow | 'channel', () => DataType, boolean])[];

/** A marketplace lake row: the report's channel and one accepted line. */
export type MarketplaceLakeRow = MarketplaceRow & { channel: string };

/**
 * A report's rows of one partition as a Parquet file: ZSTD, chunk statistics (what engines prune with), the lean
 * footer of the sales lake (trimParquetFooter). The rows are built column by column with Arrow's own builders: a
 * partition is at most a day of one report, so this runs on thousands of rows, not the sales lake's millions.
 */
export function marketplaceRowsToParquet(channel: string, rows: readonly MarketplaceRow[]): Uint8Array {
  const fields = MARKETPLACE_FIELDS.map(([name, type, nullable]) => new Field(name, type(), nullable));
  const schema = new Schema(fields);
  const children = MARKETPLACE_FIELDS.map(([name], i) => {
    const type = fields[i]?.type as DataType;
    let values: unknown[];
    if (name === 'channel') values = rows.map(() => channel);
    else if (name === 'amount_cents')
      values = rows.map((r) => (r.amount_cents === null ? null : BigInt(r.amount_cents)));
    else values = rows.map((r) => r[name]);
    return vectorFromArray(values, type).data[0] ?? makeData({ type, length: 0 });
  });
  const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: rows.length, children }));
  const ipc = tableToIPC(new Table(schema, [batch]), 'stream');
  const { Compression, EnabledStatistics, Table: WasmTable, WriterPropertiesBuilder, writeParquet } = parquetWasm();
  const properties = new WriterPropertiesBuilder()
    .setCreatedBy('tillflow-columnar')
    .setCompression(Compression.ZSTD)
    .setDictionaryEnabled(true)
    .setStatisticsEnabled(EnabledStatistics.Chunk)
    .build();
  return trimParquetFooter(writeParquet(WasmTable.fromIPCStream(ipc), properties));
}

/** Every row of a marketplace Parquet file, as written (marketplaceRowsToParquet's inverse; nulls as null). */
export function parquetToMarketplaceRows(bytes: Uint8Array): MarketplaceLakeRow[] {
  const table = tableFromIPC(parquetWasm().readParquet(bytes).intoIPCStream());
  const rows: MarketplaceLakeRow[] = [];
  for (const row of table) {
    const o = row.toJSON() as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [name] of MARKETPLACE_FIELDS) {
      const value = o[name];
      out[name] = typeof value === 'bigint' ? Number(value) : (value ?? null);
    }
    rows.push(out as unknown as MarketplaceLakeRow);
  }
  return rows;
}
