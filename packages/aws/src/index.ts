/**
 * @tillflow/aws: adapters and the handler kit. The only package that talks to AWS (or to the local platform, through
 * the same SDK clients with endpoint overrides).
 */

export * from './analysis-files';
export * from './analysis-items';
export * from './analytics-jobs';
export {
  type AnalysedDate,
  type AnalysedDay,
  type DayFigures,
  describeTableStatus,
  type IndexedStore,
  queryAnalysedDates,
  queryCompanySeries,
  queryLastReportedDate,
  queryProductDays,
  queryStoreIndex,
  queryStoreSeries,
  type Revisioned,
  readAnalysedDay,
  recordStoreInIndex,
} from './api-reads';
export * from './athena';
export * from './clients';
export * from './config';
export * from './errors';
export * from './handler';
export * from './http';
export * from './idempotency';
export * from './lake';
export * from './observability';
export * from './publications';
export { putDayLakeQuality, putUploadQuality, queryDayQuality, type StoredDayQuality } from './quality-table';
export * from './s3';
export * from './sales-table';
export * from './ses';
export * from './sns';
export * from './workflows';
