/**
 * Times each analytics operation with the DuckDB engine over a month of store files (the sample generator's, 11 stores
 * × 30 days), converted as process-upload converts them: `node --import tsx packages/analytics/bench/operations.ts DIR`
 * where DIR holds the generated `store_<id>_<date>.json` files. Prints one line per operation (first run, then a
 * second), and the first rows of each result.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { rowsToParquet } from '@tillflow/columnar';
import { OPERATION_NAMES, parseStoreFileName, processedKey, validateStoreFile } from '@tillflow/core';
import { duckDbEngine } from '../src/engines';
import { buildQuery, validateRequest } from '../src/index';

const dir = process.argv[2];
if (!dir) throw new Error('usage: operations.ts DIR (of store_<id>_<date>.json files)');
const objects = new Map<string, Uint8Array>();
const files = [];
let lines = 0;
for (const name of readdirSync(dir)
  .filter((n) => n.endsWith('.json'))
  .sort()) {
  const day = parseStoreFileName(name);
  const { rows } = validateStoreFile(readFileSync(join(dir, name)), day);
  lines += rows.length;
  const key = processedKey(day);
  const bytes = rowsToParquet(rows);
  objects.set(key, bytes);
  files.push({ key, date: day.date, store: day.storeId, etag: key, size: bytes.length });
}
const from = files[0]?.date as string;
const to = files.at(-1)?.date as string;
const bytes = files.reduce((s, f) => s + f.size, 0);
console.log(
  `${files.length} partitions, ${lines} lines, ${(bytes / 1024 / 1024).toFixed(2)} MiB of Parquet, ${from} to ${to}`,
);
const engine = duckDbEngine({ fetch: async (key) => objects.get(key) as Uint8Array });
const extra: Record<string, Record<string, unknown>> = {
  revenue_by_period: { period: 'week', dimension: 'store' },
  marketplace_summary: {},
};
for (const operation of OPERATION_NAMES) {
  const request = validateRequest(operation, { from, to, ...(extra[operation] ?? {}) });
  const query = buildQuery(request, engine.dialect);
  const times: number[] = [];
  let rows: unknown[] = [];
  for (let i = 0; i < 2; i++) {
    const t = performance.now();
    rows = (await engine.run({ query, columns: query.columns, files })).rows;
    times.push(performance.now() - t);
  }
  console.log(`${operation}: ${rows.length} rows, ${times.map((t) => `${t.toFixed(0)} ms`).join(' then ')}`);
  console.log(`  ${JSON.stringify(rows.slice(0, 2))}`);
}
