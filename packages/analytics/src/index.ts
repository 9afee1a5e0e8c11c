/**
 * @tillflow/analytics: the fixed, parameterised analytics operations over the Parquet lake, their SQL in the DuckDB
 * and Athena dialects, validation, the result cache and the jobs (docs/architecture.md, "Analytics jobs"). The engines
 * are `@tillflow/analytics/engines`: DuckDB is a native module, which only the functions that compute carry.
 */

export {
  type Computed,
  type ComputeSettings,
  computeResult,
  lakeFilesOf,
  requestHash,
  type StoredResult,
} from './compute';
export { type AnalyticsConfig, AnalyticsEnv, computeSettings, querySettings } from './config';
export { ATHENA, type Dialect, DUCKDB } from './dialect';
export type { AnalyticsEngine, QueryResult, ResultRow, ResultValue, RunInput } from './engine';
export { EMAIL_ROWS, type JobEmail, renderJobEmail } from './job-email';
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
  type QuerySettings,
  queryOrQueue,
  runJob,
  startQueued,
  submitJob,
  viewJob,
} from './jobs';
export { namedQueries } from './named-queries';
export {
  ALL_CUSTOMERS,
  type ColumnKind,
  INTEGRITY_CHECKS,
  type LakeTable,
  OPERATIONS,
  type OperationDefinition,
  type ResultColumn,
  segmentLabels,
} from './operations';
export { buildQuery } from './query';
export { Binder, type BoundSql, type SqlValue } from './sql';
export { canonicalRequest, isOperationName, parametersFromQuery, validateRequest } from './validate';
export { toResultRows, toResultValue } from './values';
