import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LakeFile } from '@tillflow/aws';
import { DUCKDB } from './dialect';
import type { AnalyticsEngine, QueryResult, RunInput } from './engine';
import type { LakeTable } from './operations';
import { toResultRows } from './values';

/**
 * The store line items' table, in DuckDB: the canonical row's columns (packages/core/src/canonical-row.schema.ts, as
 * packages/columnar writes them). The Glue table `sales` of infrastructure/analytics.tf declares the same columns.
 */
export const SALES_TABLE_DDL = `CREATE TABLE sales (
  store_id VARCHAR, business_date VARCHAR, transaction_id VARCHAR, timestamp_ms TIMESTAMPTZ,
  utc_offset_minutes SMALLINT, item_sku VARCHAR, item_name VARCHAR, quantity INTEGER, unit_price_cents BIGINT,
  line_total_cents BIGINT, discount_cents BIGINT, payment_method VARCHAR, customer_id VARCHAR)`;

/**
 * The marketplace order lines' table, in DuckDB: the columns of packages/columnar/src/marketplace-parquet.ts
 * (`MARKETPLACE_FIELDS`, the test keeps them in step). The Glue table `marketplace` declares the same columns, its
 * `channel` as the partition column.
 */
export const MARKETPLACE_TABLE_DDL = `CREATE TABLE marketplace (
  channel VARCHAR, order_id VARCHAR, business_date VARCHAR, status VARCHAR, status_class VARCHAR, fulfilment VARCHAR,
  sales_channel VARCHAR, ship_service_level VARCHAR, style VARCHAR, sku VARCHAR, category VARCHAR, size VARCHAR,
  asin VARCHAR, courier_status VARCHAR, quantity INTEGER, currency VARCHAR, amount_cents BIGINT, ship_city VARCHAR,
  ship_state VARCHAR, ship_postal_code VARCHAR, ship_country VARCHAR, promotion_ids VARCHAR, b2b BOOLEAN,
  fulfilled_by VARCHAR)`;

const TABLE_DDL: Record<LakeTable, string> = { sales: SALES_TABLE_DDL, marketplace: MARKETPLACE_TABLE_DDL };

/** How many partition files are fetched at once. */
const FETCH_CONCURRENCY = 8;

/** What the DuckDB engine needs from outside: the bytes of a lake object (the S3 adapter, or a file in a test). */
export interface DuckDbEngineOptions {
  fetch(key: string): Promise<Uint8Array>;
  /** Where the fetched partitions are written for the run (default the OS temporary folder: /tmp in Lambda). */
  tempDir?: string;
}

/**
 * DuckDB (`@duckdb/node-api`, embedded): fetches the partitions of the range through the S3 API into a folder of
 * its own under /tmp, loads them into an in-memory table (the one the operation reads) and runs the operation's statement with its parameters
 * bound. DuckDB's httpfs extension would read S3 itself, but it is downloaded at run time, which a Lambda without
 * internet access (and this project's build) cannot do. DuckDB is imported on first use, so that a function that only
 * validates requests never loads the native module.
 */
export function duckDbEngine(options: DuckDbEngineOptions): AnalyticsEngine {
  return {
    name: 'duckdb',
    dialect: DUCKDB,
    run: (input) => runDuckDb(input, options),
  };
}

async function runDuckDb(input: RunInput, options: DuckDbEngineOptions): Promise<QueryResult> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'tillflow-analytics-'));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const abort = () => connection.interrupt();
  input.signal?.addEventListener('abort', abort, { once: true });
  try {
    const paths = await fetchAll(input.files, options.fetch, dir);
    input.signal?.throwIfAborted();
    await connection.run(TABLE_DDL[input.table]);
    if (paths.length > 0) await load(connection, input.table, paths);
    input.signal?.throwIfAborted();
    const statement = await connection.prepare(input.query.sql);
    statement.bind(input.query.params);
    const reader = await statement.runAndReadAll();
    return { columns: input.columns, rows: toResultRows(reader.getRowObjectsJS(), input.columns) };
  } finally {
    input.signal?.removeEventListener('abort', abort);
    connection.closeSync();
    instance.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes every file to `dir` as `<n>.parquet`, a few at a time; returns the paths in the order of `files`. */
async function fetchAll(
  files: readonly LakeFile[],
  fetch: (key: string) => Promise<Uint8Array>,
  dir: string,
): Promise<string[]> {
  const paths = files.map((_, i) => join(dir, `${i}.parquet`));
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < files.length; i = next++) {
      await writeFile(paths[i] as string, await fetch((files[i] as LakeFile).key));
    }
  };
  await Promise.all(Array.from({ length: Math.min(FETCH_CONCURRENCY, files.length) }, worker));
  return paths;
}

type Connection = Awaited<
  ReturnType<Awaited<ReturnType<typeof import('@duckdb/node-api').DuckDBInstance.create>>['connect']>
>;

/** A SQL string literal of a path this engine wrote itself (never a request's value). */
function pathLiteral(path: string): string {
  return `'${path.replaceAll("'", "''")}'`;
}

/** Loads the files into `table` by column name: DuckDB decodes every column packages/columnar writes. */
async function load(connection: Connection, table: LakeTable, paths: readonly string[]): Promise<void> {
  const list = `[${paths.map(pathLiteral).join(', ')}]`;
  await connection.run(`INSERT INTO ${table} BY NAME SELECT * FROM read_parquet(${list}, union_by_name = true)`);
}
