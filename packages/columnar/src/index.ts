/**
 * @tillflow/columnar: canonical rows -> Parquet (our own encoder for the lake's one schema) and back (parquet-wasm,
 * Apache Arrow), and the monthly compaction.
 */
export * from './arrow-schema';
export { rowsToArrowTable } from './arrow-table';
export * from './compaction';
export {
  MARKETPLACE_FIELDS,
  type MarketplaceLakeRow,
  marketplaceRowsToParquet,
  parquetToMarketplaceRows,
} from './marketplace-parquet';
export * from './parquet';
export { ARROW_SCHEMA_KEY, trimParquetFooter } from './parquet-footer';
export * from './parquet-wasm';
export {
  type ConversionOptions,
  type ConvertedStoreFile,
  convertStoreFile,
  type RejectedStoreFile,
} from './store-file-conversion';
