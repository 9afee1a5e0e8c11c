/**
 * The port every engine adapter implements (types only): run one operation's bound SQL over the lake partitions of
 * its range, and give the rows typed by the operation's columns.
 */
import type { LakeFile } from '@tillflow/aws';
import type { Dialect } from './dialect';
import type { LakeTable, ResultColumn } from './operations';
import type { BoundSql } from './sql';

/** A JSON value of a result cell. */
export type ResultValue = string | number | boolean | null;

/** One result row, by column name. */
export type ResultRow = Record<string, ResultValue>;

/** An operation's result: its columns in order and its rows. */
export interface QueryResult {
  columns: readonly ResultColumn[];
  rows: ResultRow[];
}

/** What a run is given besides its SQL. */
export interface RunInput {
  query: BoundSql;
  /** The table the statement reads, which `files` are partitions of. */
  table: LakeTable;
  columns: readonly ResultColumn[];
  /** The partitions of the range (the DuckDB engine loads these; Athena's projection finds them itself). */
  files: readonly LakeFile[];
  /** Aborts the run (the synchronous query's time budget). */
  signal?: AbortSignal;
}

/** An engine: DuckDB in the function, or Athena over the Glue table. */
export interface AnalyticsEngine {
  readonly name: 'duckdb' | 'athena';
  readonly dialect: Dialect;
  run(input: RunInput): Promise<QueryResult>;
}
