import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isCalendarDate, STORE_ID_RE } from '@tillflow/core';
import { REPO_ROOT } from '../platform';
import { BUCKET_NAME } from '../resources';
import type { CommandOutput } from './command';
import { parseSubcommand } from './subcommand';

/** What `tillflow lake --help` prints. */
export const LAKE_USAGE = `Usage: tillflow lake [options]      (npm start -- lake [options])

Lists the Parquet partitions of the local lake (processed/sales/date=<d>/store=<id>/), as files of the state folder,
and with --sql runs a DuckDB query over them, exposed as the view "sales" (one row per line item: store_id,
business_date, transaction_id, timestamp_ms, item_sku, item_name, quantity, unit_price_cents, line_total_cents,
discount_cents, payment_method, customer_id). Reads the files only: the platform need not run.

Options (environment variable in brackets):
  --date D                only the partitions of business date D (YYYY-MM-DD)
  --store S               only the partitions of store S (e.g. 0003)
  --sql Q                 run query Q over the view sales and print its rows
  --state-dir DIR         the platform's state folder, default .tillflow/  [TILLFLOW_STATE_DIR]
  --help                  this text`;

/** s3rver keeps an object's bytes as `<key>._S3rver_object` under `<state>/s3/<bucket>/` (and its metadata beside). */
const S3RVER_OBJECT_SUFFIX = '._S3rver_object';

/** The lake's prefix, as process-upload writes it (docs/architecture.md). */
const LAKE_PREFIX = join('processed', 'sales');

/** One Parquet partition of the local lake: its Hive values and the file holding its bytes. */
export interface LakePartition {
  date: string;
  store: string;
  path: string;
}

/**
 * The Parquet files of the local lake under `stateDir`, by date then store, filtered by `date` and `store` when given.
 * Walks the folders s3rver writes rather than listing through S3, so that it works without a running platform.
 */
export function lakePartitions(stateDir: string, filter: { date?: string; store?: string } = {}): LakePartition[] {
  const root = join(stateDir, 's3', BUCKET_NAME, LAKE_PREFIX);
  const values = (dir: string, key: string) =>
    existsSync(dir)
      ? readdirSync(dir)
          .filter((name) => name.startsWith(`${key}=`))
          .map((name) => name.slice(key.length + 1))
          .sort()
      : [];
  const found: LakePartition[] = [];
  for (const date of values(root, 'date').filter((d) => !filter.date || d === filter.date)) {
    const dateDir = join(root, `date=${date}`);
    for (const store of values(dateDir, 'store').filter((s) => !filter.store || s === filter.store)) {
      const storeDir = join(dateDir, `store=${store}`);
      for (const file of readdirSync(storeDir).sort()) {
        if (file.endsWith(`.parquet${S3RVER_OBJECT_SUFFIX}`)) found.push({ date, store, path: join(storeDir, file) });
      }
    }
  }
  return found;
}

/** A SQL string literal. */
function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A value of a DuckDB row as the table prints it. */
function cell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

/** Rows as an aligned text table under a header line, numbers right-aligned. */
export function formatTable(columns: readonly string[], rows: readonly unknown[][]): string[] {
  const text = rows.map((row) => row.map(cell));
  const numeric = columns.map((_, i) =>
    rows.every((row) => typeof row[i] === 'number' || typeof row[i] === 'bigint' || row[i] === null),
  );
  const widths = columns.map((c, i) => Math.max(c.length, ...text.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)];
}

/**
 * Runs `sql` with DuckDB over `files` as the view `sales`, the canonical columns in their order. DuckDB reads every
 * column of the lake's files itself (packages/columnar writes only encodings DuckDB decodes). DuckDB is loaded on
 * use, so that the other commands never load it.
 */
export async function queryLake(
  files: readonly string[],
  sql: string,
): Promise<{ columns: string[]; rows: unknown[][] }> {
  const [{ DuckDBInstance }, { CANONICAL_COLUMNS }] = await Promise.all([
    import('@duckdb/node-api'),
    import('@tillflow/columnar'),
  ]);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const list = files.map(quote).join(', ');
    await connection.run(`CREATE VIEW sales AS SELECT ${CANONICAL_COLUMNS.join(', ')} FROM read_parquet([${list}])`);
    const reader = await connection.runAndReadAll(sql);
    return { columns: reader.columnNames(), rows: reader.getRowsJS() as unknown[][] };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/**
 * `tillflow lake [--date D] [--store S] [--sql Q]`: the local lake's partition files, or a DuckDB query over them.
 * Resolves with the exit code: 0, 1 when no partition matches or the query fails, 2 for a bad command line.
 */
export async function runLakeCommand(
  argv: string[],
  options: { env?: Record<string, string | undefined>; output: CommandOutput },
): Promise<number> {
  const { out, err } = options.output;
  const env = options.env ?? process.env;
  const usage = (message: string): number => {
    err(`tillflow lake: ${message}\n\n${LAKE_USAGE}`);
    return 2;
  };
  const line = parseSubcommand(
    argv,
    {
      name: 'lake',
      usage: LAKE_USAGE,
      options: {
        date: { type: 'string' },
        store: { type: 'string' },
        sql: { type: 'string' },
        'state-dir': { type: 'string' },
      },
    },
    options.output,
  );
  if (typeof line === 'number') return line;
  const { values } = line;
  const date = values.date as string | undefined;
  const store = values.store as string | undefined;
  if (date !== undefined && !isCalendarDate(date)) return usage(`--date takes a date YYYY-MM-DD, got "${date}"`);
  if (store !== undefined && !STORE_ID_RE.test(store))
    return usage(`--store takes a store id like 0003, got "${store}"`);
  const stateDir = resolve(
    (values['state-dir'] as string | undefined) ?? env.TILLFLOW_STATE_DIR ?? join(REPO_ROOT, '.tillflow'),
  );
  const partitions = lakePartitions(stateDir, { ...(date ? { date } : {}), ...(store ? { store } : {}) });
  if (partitions.length === 0) {
    err(`tillflow lake: no Parquet partition under ${join(stateDir, 's3', BUCKET_NAME, LAKE_PREFIX)} matches`);
    return 1;
  }
  const sql = values.sql as string | undefined;
  if (sql === undefined) {
    for (const p of partitions) out(p.path);
    return 0;
  }
  try {
    const result = await queryLake(
      partitions.map((p) => p.path),
      sql,
    );
    for (const line of formatTable(result.columns, result.rows)) out(line);
    return 0;
  } catch (error) {
    err(`tillflow lake: ${(error as Error).message}`);
    return 1;
  }
}
