/**
 * What differs between the two engines' SQL. Everything else an operation writes (CTEs, window functions, `CAST`,
 * `COUNT(DISTINCT)`, `substr`, `date_trunc` on a DATE) reads the same in DuckDB and in Athena's Trino-based engine
 * (version 3), so the operations are written once against this interface.
 */
export interface Dialect {
  readonly name: 'duckdb' | 'athena';
  /** The instant column as milliseconds since the epoch (BIGINT). */
  epochMillis(column: string): string;
  /**
   * The predicate that limits the rows to a business-date range, given two placeholders: on Athena the partition
   * column `"date"`, so that partition projection prunes what is scanned; on DuckDB the data column (the engine has
   * fetched only the partitions of the range already).
   */
  dateRange(fromPlaceholder: string, toPlaceholder: string): string;
  /** The predicate that limits the rows to some stores, given an `IN` list. */
  storeIn(list: string): string;
}

/** DuckDB over the partitions the engine loaded into its table `sales`. */
export const DUCKDB: Dialect = {
  name: 'duckdb',
  epochMillis: (column) => `epoch_ms(${column})`,
  dateRange: (from, to) => `business_date BETWEEN ${from} AND ${to}`,
  storeIn: (list) => `store_id IN ${list}`,
};

/** Athena (engine version 3) over the Glue table `sales` of infrastructure/analytics.tf. */
export const ATHENA: Dialect = {
  name: 'athena',
  // to_unixtime gives seconds as a DOUBLE; the lake's timestamps are whole milliseconds, so rounding is exact.
  epochMillis: (column) => `CAST(round(to_unixtime(${column}) * 1000) AS BIGINT)`,
  dateRange: (from, to) => `"date" BETWEEN ${from} AND ${to}`,
  storeIn: (list) => `"store" IN ${list}`,
};
