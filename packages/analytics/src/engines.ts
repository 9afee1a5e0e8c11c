/**
 * @tillflow/analytics/engines: the engines that run the operations. An entry of its own because DuckDB is a native
 * module: a function that imports this must declare `@duckdb/node-api` in its package.json `tillflow.nativeModules`
 * (packages/build carries it in the zip); the others import `@tillflow/analytics` and never reach it.
 */
export { athenaEngine } from './athena-engine';
export { type DuckDbEngineOptions, duckDbEngine, MARKETPLACE_TABLE_DDL, SALES_TABLE_DDL } from './duckdb-engine';
export { selectEngine } from './select-engine';
