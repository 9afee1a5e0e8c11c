/**
 * @tillflow/analytics: the fixed, parameterised analytics operations over the Parquet lake, their SQL in the DuckDB
 * and Athena dialects, and the engines that run them (docs/architecture.md, "Analytics jobs").
 */

export { athenaEngine } from './athena-engine';
export {
  type Computed,
  type ComputeSettings,
  computeResult,
  lakeFilesOf,
  requestHash,
  type StoredResult,
} from './compute';
export { ATHENA, type Dialect, DUCKDB } from './dialect';
export { type DuckDbEngineOptions, duckDbEngine, SALES_TABLE_DDL } from './duckdb-engine';
export type { AnalyticsEngine, QueryResult, ResultRow, ResultValue, RunInput } from './engine';
export {
  completeJob,
  failJob,
  INLINE_ROWS,
  JOB_ID_RE,
  JOB_RETENTION_SECONDS,
  type JobOutcome,
  type JobView,
  newJob,
  type QueryOutcome,
  queryOrQueue,
  runJob,
  startQueued,
  submitJob,
  viewJob,
} from './jobs';
export {
  ALL_CUSTOMERS,
  type ColumnKind,
  INTEGRITY_CHECKS,
  OPERATIONS,
  type OperationDefinition,
  type ResultColumn,
  segmentLabels,
} from './operations';
export {
  type AnalyticsRequest,
  AnalyticsRequestBody,
  DEFAULT_EXCLUDED_STATUSES,
  MAX_RANGE_DAYS,
  OPERATION_NAMES,
  OPERATION_PARAMETERS,
  type OperationName,
  type OperationParameters,
} from './operations.schema';
export { buildQuery } from './query';
export { AnalyticsEnv, selectEngine } from './select-engine';
export { Binder, type BoundSql, type SqlValue } from './sql';
export { canonicalRequest, isOperationName, parametersFromQuery, validateRequest } from './validate';
export { toResultRows, toResultValue } from './values';
