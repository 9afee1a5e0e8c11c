import type { Table } from 'apache-arrow';
import { tableFromIPC } from 'apache-arrow';
import { parquetWasm } from './parquet-wasm';

/**
 * Every column of a Parquet file as an Arrow table (parquet-wasm's reader). Writing the lake's files is our own
 * encoder's (parquet-encoder.ts); reading stays with parquet-wasm, which reads any Parquet file, not only ours.
 */
export function parquetToArrow(bytes: Uint8Array): Table {
  return tableFromIPC(parquetWasm().readParquet(bytes).intoIPCStream());
}
