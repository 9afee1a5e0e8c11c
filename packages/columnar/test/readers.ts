import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { CanonicalRow } from '@tillflow/core';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { CANONICAL_COLUMNS } from '../src';
import { arrayBufferOf } from './fixtures';

/** Reads a file with hyparquet, a pure-JS reader that shares no code with parquet-wasm or DuckDB. */
export async function readWithHyparquet(file: Uint8Array): Promise<CanonicalRow[]> {
  const objects = await parquetReadObjects({
    file: arrayBufferOf(file),
    compressors,
    // Keep instants as epoch milliseconds rather than Date, to compare with the rows.
    parsers: { timestampFromMilliseconds: (ms: bigint) => Number(ms) } as never,
  });
  return objects.map((o) => canonical((column) => o[column]));
}

/** A DuckDB reader (DuckDB's own Parquet reader, C++), one thread, reading files from a folder of its own. */
export class DuckDbReader {
  private constructor(
    private readonly connection: Awaited<ReturnType<DuckDBInstance['connect']>>,
    private readonly dir: string,
  ) {}

  private files = 0;

  static async open(): Promise<DuckDbReader> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run('SET threads = 1');
    return new DuckDbReader(connection, mkdtempSync(join(tmpdir(), 'tillflow-encoder-duckdb-')));
  }

  /** Every row of `file`, every column, in file order (the instant as epoch milliseconds). */
  async rows(file: Uint8Array): Promise<CanonicalRow[]> {
    const path = this.write(file);
    const select = CANONICAL_COLUMNS.map((c) => (c === 'timestamp_ms' ? `epoch_ms(${c}) AS ${c}` : c)).join(', ');
    const reader = await this.connection.runAndReadAll(`SELECT ${select} FROM read_parquet('${path}')`);
    return reader.getRowObjectsJS().map((o) => canonical((column) => o[column]));
  }

  /** The column types DuckDB sees in `file`, by name. */
  async types(file: Uint8Array): Promise<Record<string, string>> {
    const path = this.write(file);
    const reader = await this.connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`);
    return Object.fromEntries(reader.getRowObjectsJS().map((o) => [o.column_name as string, o.column_type as string]));
  }

  /** DuckDB's reading of the column-chunk statistics: per row group and column, min, max and null count (as text). */
  async statistics(
    file: Uint8Array,
  ): Promise<{ group: number; column: string; min: string; max: string; nulls: number }[]> {
    const path = this.write(file);
    const reader = await this.connection.runAndReadAll(
      'SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value, stats_null_count ' +
        `FROM parquet_metadata('${path}') ORDER BY row_group_id, column_id`,
    );
    return reader.getRowObjectsJS().map((o) => ({
      group: Number(o.row_group_id),
      column: String(o.path_in_schema),
      min: String(o.stats_min_value),
      max: String(o.stats_max_value),
      nulls: Number(o.stats_null_count),
    }));
  }

  close(): void {
    this.connection.closeSync();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private write(file: Uint8Array): string {
    const path = join(this.dir, `file-${++this.files}.parquet`);
    writeFileSync(path, file);
    return path;
  }
}

/** A canonical row from a reader's values: 64-bit integers as numbers, fields in canonical order. */
function canonical(get: (column: string) => unknown): CanonicalRow {
  const row: Record<string, unknown> = {};
  for (const column of CANONICAL_COLUMNS) {
    const value = get(column);
    row[column] = typeof value === 'bigint' ? Number(value) : value;
  }
  return row as CanonicalRow;
}
