import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LakeFile } from '@tillflow/aws';
import { DUCKDB } from './dialect';
import type { AnalyticsEngine, QueryResult, RunInput } from './engine';
import { toResultRows } from './values';

/**
 * The table every operation reads, in DuckDB: the canonical row's columns (packages/core/src/canonical-row.schema.ts,
 * as packages/columnar writes them) and the marketplace columns, NULL in a store file's rows. The Glue table of
 * infrastructure/analytics.tf declares the same columns for Athena.
 */
export const SALES_TABLE_DDL = `CREATE TABLE sales (
  store_id VARCHAR, business_date VARCHAR, transaction_id VARCHAR, timestamp_ms TIMESTAMPTZ,
  utc_offset_minutes SMALLINT, item_sku VARCHAR, item_name VARCHAR, quantity INTEGER, unit_price_cents BIGINT,
  line_total_cents BIGINT, discount_cents BIGINT, payment_method VARCHAR, customer_id VARCHAR,
  status VARCHAR, fulfilment VARCHAR, channel VARCHAR, ship_state VARCHAR, category VARCHAR, b2b BOOLEAN)`;

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
 * its own under /tmp, loads them into an in-memory table and runs the operation's statement with its parameters
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
    await connection.run(SALES_TABLE_DDL);
    if (paths.length > 0) await load(connection, paths);
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

/**
 * Loads the files into `sales` by column name (a file without the marketplace columns leaves them NULL). When DuckDB
 * cannot decode `discount_cents` (packages/columnar wrote it with BYTE_STREAM_SPLIT, which DuckDB 1.5 reads for FLOAT
 * and DOUBLE only) that column is decoded by @tillflow/columnar and joined on file and row number, as
 * packages/local/src/cli/lake-command.ts does; delete {@link loadWithDecodedDiscounts} once every file in the lake is
 * written with an encoding DuckDB reads.
 */
async function load(connection: Connection, paths: readonly string[]): Promise<void> {
  const list = `[${paths.map(pathLiteral).join(', ')}]`;
  try {
    await connection.run(`INSERT INTO sales BY NAME SELECT * FROM read_parquet(${list}, union_by_name = true)`);
  } catch (error) {
    if (!/BYTE_STREAM_SPLIT/i.test((error as Error).message)) throw error;
    await loadWithDecodedDiscounts(connection, paths, list);
  }
}

async function loadWithDecodedDiscounts(connection: Connection, paths: readonly string[], list: string): Promise<void> {
  const [{ readFile }, { readParquetColumns }] = await Promise.all([
    import('node:fs/promises'),
    import('@tillflow/columnar'),
  ]);
  await connection.run('CREATE TEMP TABLE discounts (filename VARCHAR, file_row_number BIGINT, discount_cents BIGINT)');
  const appender = await connection.createAppender('discounts');
  for (const path of paths) {
    const { discount_cents: values } = await readParquetColumns(await readFile(path), ['discount_cents']);
    values.forEach((value, row) => {
      appender.appendVarchar(path);
      appender.appendBigInt(BigInt(row));
      appender.appendBigInt(BigInt(value));
      appender.endRow();
    });
  }
  appender.closeSync();
  await connection.run(
    `INSERT INTO sales BY NAME SELECT f.* EXCLUDE (discount_cents, filename, file_row_number), d.discount_cents ` +
      `FROM read_parquet(${list}, union_by_name = true, filename = true, file_row_number = true) AS f ` +
      'JOIN discounts AS d USING (filename, file_row_number)',
  );
}
