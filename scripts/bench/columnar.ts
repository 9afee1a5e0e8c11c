/**
 * Benchmark of the upload path's conversion, store JSON -> validated canonical rows + store-day figures -> Parquet,
 * beside DuckDB converting the same files in the same run, and of the monthly compaction. Usage:
 *   npx tsx scripts/bench/columnar.ts --dir <folder of store_NNNN_YYYY-MM-DD.json files> [--passes 3]
 *
 * Each file goes through what process-upload does with it (convertStoreFile: scan, parse, validate, figures,
 * Parquet through our own encoder), one file at a time on one thread. The phase profile (ms per MB) comes from
 * passes that stop after each phase: scan alone, + parse and validation, + figures, + the Parquet encoder taking
 * the rows, + the pages, ZSTD and footer (the whole of convertStoreFile). DuckDB converts each file with one call, one thread:
 * `COPY (SELECT * FROM read_json(file, columns = {…})) TO … (FORMAT parquet, COMPRESSION zstd)`. The floor is
 * reading + JSON.parse alone. Throughput is the JSON bytes over the best pass (after a warm-up pass, as in a warm
 * Lambda). Targets (shared/DESIGN.md, Performance targets): ≥ 2× DuckDB and ≥ 0.4 of the floor; a lake ≥ 25× smaller
 * than the JSON per file and ≥ 45× per store-month compacted.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { CanonicalParquetWriter, concatParquet, convertStoreFile } from '@tillflow/columnar';
import {
  JsonArrayScanner,
  parseStoreFileName,
  type StoreDay,
  StoreDayAccumulator,
  StoreFileReader,
} from '@tillflow/core';
import { emitResult } from './report';

const TARGET_VS_DUCKDB = 2;
const TARGET_VS_FLOOR = 0.4;
const TARGET_LAKE_RATIO = 25;
const TARGET_COMPACTION_RATIO = 45;

const { values } = parseArgs({
  options: { dir: { type: 'string' }, passes: { type: 'string', default: '3' } },
  strict: true,
});
if (!values.dir) {
  console.error('Usage: npx tsx scripts/bench/columnar.ts --dir <folder of store JSON files> [--passes 3]');
  process.exit(2);
}
const passes = Number(values.passes);
if (!Number.isInteger(passes) || passes < 1) {
  console.error(`--passes must be a positive integer, got "${values.passes}"`);
  process.exit(2);
}

interface StoreFile {
  name: string;
  storeDay: StoreDay;
  bytes: Uint8Array;
}
const files: StoreFile[] = readdirSync(values.dir)
  .filter((name) => /^store_\d{4}_\d{4}-\d{2}-\d{2}\.json$/.test(name))
  .sort()
  .map((name) => ({ name, storeDay: parseStoreFileName(name), bytes: readFileSync(join(values.dir as string, name)) }));
if (files.length === 0) {
  console.error(`no store files (store_NNNN_YYYY-MM-DD.json) in ${values.dir}`);
  process.exit(1);
}
const jsonBytes = files.reduce((n, f) => n + f.bytes.byteLength, 0);
const MB = 1e6;

interface Timing {
  /** Wall-clock milliseconds. */
  wall: number;
  /** CPU milliseconds of the process (user + system): steadier than wall time on a shared machine. */
  cpu: number;
}

function cpuNow(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The best of `passes` timed passes over every file, after one untimed warm-up pass (a warm Lambda). */
async function bestPass(work: (file: StoreFile) => Promise<void>): Promise<Timing> {
  for (const file of files) await work(file);
  const best: Timing = { wall: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY };
  for (let p = 0; p < passes; p++) {
    const wall = performance.now();
    const cpu = cpuNow();
    for (const file of files) await work(file);
    best.wall = Math.min(best.wall, performance.now() - wall);
    best.cpu = Math.min(best.cpu, cpuNow() - cpu);
  }
  return best;
}

const decoder = new TextDecoder();
const floor = await bestPass(async (f) => {
  JSON.parse(decoder.decode(f.bytes));
});
const scanOnly = await bestPass(async (f) => {
  const scanner = new JsonArrayScanner({ maxDepth: 8, maxElementBytes: 65_536 });
  scanner.push(f.bytes);
  scanner.end();
});
// The read side, bytes to validated rows: the general path alone (every line through JSON.parse and checkLineItem),
// then as convertStoreFile reads (the fast path, StoreLineParser), without and with the store-day figures.
const generalRead = await bestPass(async (f) => {
  const reader = new StoreFileReader(f.storeDay, { row() {}, reject() {} }, undefined, { fastPath: false });
  reader.push(f.bytes);
  reader.end();
});
let fastLines = 0;
let readLines = 0;
const readOnly = await bestPass(async (f) => {
  const reader = new StoreFileReader(f.storeDay, { row() {}, reject() {} });
  reader.push(f.bytes);
  const end = reader.end();
  fastLines += end.fastLines;
  readLines += end.lines;
});
const readFigures = await bestPass(async (f) => {
  const figures = new StoreDayAccumulator();
  const reader = new StoreFileReader(f.storeDay, { row: (row, first) => figures.add(row, first), reject() {} });
  reader.push(f.bytes);
  reader.end();
  figures.figures(f.storeDay.storeId, f.storeDay.date);
});
// The write side, on top of the read and the figures: the Parquet encoder taking every row
// (CanonicalParquetWriter.add); the rest of convertStoreFile is the pages' assembly, ZSTD and the footer (finish).
const withEncoding = await bestPass(async (f) => {
  const figures = new StoreDayAccumulator();
  const writer = new CanonicalParquetWriter();
  const reader = new StoreFileReader(f.storeDay, {
    row(row, first) {
      figures.add(row, first);
      writer.add(row);
    },
    reject() {},
  });
  reader.push(f.bytes);
  reader.end();
  figures.figures(f.storeDay.storeId, f.storeDay.date);
  writer.discard();
});
const parquet = new Map<string, Uint8Array>();
let rows = 0;
let rejected = 0;
const ours = await bestPass(async (f) => {
  const result = await convertStoreFile(
    async function* () {
      yield f.bytes;
    },
    f.storeDay,
    { maxBytes: 2 ** 31 },
  );
  if (result.status !== 'converted' || !result.parquet) throw new Error(`${f.name} was not converted`);
  parquet.set(f.name, result.parquet);
  rows += result.accepted;
  rejected += result.log.total;
});
rows /= passes + 1;
rejected /= passes + 1;
const parquetBytes = [...parquet.values()].reduce((n, b) => n + b.byteLength, 0);

// DuckDB, one thread, one call per file, explicit columns, ZSTD.
const duckOut = mkdtempSync(join(tmpdir(), 'tillflow-bench-duckdb-'));
const duck = await (await DuckDBInstance.create(':memory:')).connect();
await duck.run('SET threads = 1');
const COLUMNS =
  "{transaction_id: 'VARCHAR', transaction_timestamp: 'TIMESTAMPTZ', item_sku: 'VARCHAR', item_name: 'VARCHAR', " +
  "quantity: 'INTEGER', unit_price: 'DECIMAL(12,2)', line_total: 'DECIMAL(12,2)', discount_amount: 'DECIMAL(12,2)', " +
  "payment_method: 'VARCHAR', customer_id: 'VARCHAR'}";
const duckdb = await bestPass(async (f) => {
  await duck.run(
    `COPY (SELECT * FROM read_json('${join(values.dir as string, f.name)}', format = 'array', columns = ${COLUMNS})) ` +
      `TO '${join(duckOut, `${f.name}.parquet`)}' (FORMAT parquet, COMPRESSION zstd)`,
  );
});
const duckBytes = files.reduce((n, f) => n + statSync(join(duckOut, `${f.name}.parquet`)).size, 0);
duck.closeSync();
rmSync(duckOut, { recursive: true, force: true });

// Compaction: each store's files of the folder into one file (the target is for a month of files).
const byStore = new Map<string, StoreFile[]>();
for (const f of files) byStore.set(f.storeDay.storeId, [...(byStore.get(f.storeDay.storeId) ?? []), f]);
const compaction: { store: string; days: number; json: number; compacted: number; ms: number }[] = [];
for (const [store, storeFiles] of byStore) {
  const start = performance.now();
  const compacted = concatParquet(storeFiles.map((f) => parquet.get(f.name) as Uint8Array));
  compaction.push({
    store,
    days: storeFiles.length,
    json: storeFiles.reduce((n, f) => n + f.bytes.byteLength, 0),
    compacted: compacted.byteLength,
    ms: performance.now() - start,
  });
}
const compactedBytes = compaction.reduce((n, c) => n + c.compacted, 0);
const storeRatios = compaction.map((c) => c.json / c.compacted);

const mbps = (ms: number) => jsonBytes / MB / (ms / 1000);
const msPerMB = (ms: number) => (ms / (jsonBytes / MB)).toFixed(2);
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
const fixed = (n: number, digits = 1) => n.toFixed(digits);
const rate = (t: Timing) => `${fixed(mbps(t.wall)).padStart(6)} MB/s wall ${fixed(mbps(t.cpu)).padStart(6)} MB/s CPU`;
const lakeRatio = jsonBytes / parquetBytes;
const duckRatio = jsonBytes / duckBytes;
const compactionRatio = jsonBytes / compactedBytes;
const worstStore = Math.min(...storeRatios);
const vsDuck = mbps(ours.cpu) / mbps(duckdb.cpu);
const vsFloor = mbps(ours.cpu) / mbps(floor.cpu);

console.log(
  `columnar benchmark: ${files.length} store files, ${byStore.size} stores, ${rows} rows (${rejected} rejected), ` +
    `${fixed(jsonBytes / MB, 2)} MB of JSON, best of ${passes} passes, one thread`,
);
console.log(`read + JSON.parse (floor)   ${rate(floor)}`);
console.log(`DuckDB read_json → Parquet  ${rate(duckdb)}   lake ${fixed(duckRatio, 2)}× (${duckBytes} bytes)`);
console.log(`Tillflow convertStoreFile   ${rate(ours)}   lake ${fixed(lakeRatio, 2)}× (${parquetBytes} bytes)`);
console.log(
  `  ours / DuckDB (CPU)        ${fixed(vsDuck, 2)}×  target ≥ ${TARGET_VS_DUCKDB}×: ${verdict(vsDuck >= TARGET_VS_DUCKDB)}`,
);
console.log(
  `  ours / floor (CPU)         ${fixed(vsFloor, 2)}   target ≥ ${TARGET_VS_FLOOR}: ${verdict(vsFloor >= TARGET_VS_FLOOR)}`,
);
console.log(
  `  lake per file              ${fixed(lakeRatio, 2)}×  target ≥ ${TARGET_LAKE_RATIO}×: ${verdict(lakeRatio >= TARGET_LAKE_RATIO)}`,
);
for (const [label, key] of [
  ['wall', 'wall'],
  ['CPU ', 'cpu'],
] as const) {
  console.log(
    `  ms per MB (${label}): read ${msPerMB(readOnly[key])} (general path ${msPerMB(generalRead[key])},` +
      ` scanner alone ${msPerMB(scanOnly[key])}),` +
      ` + figures ${msPerMB(readFigures[key] - readOnly[key])}, + Parquet encoding ${msPerMB(withEncoding[key] - readFigures[key])},` +
      ` + pages, ZSTD, footer ${msPerMB(ours[key] - withEncoding[key])}; all ${msPerMB(ours[key])} (floor ${msPerMB(floor[key])})`,
  );
}
console.log(
  `  read: bytes → validated rows; ${fixed((100 * fastLines) / readLines, 1)}% of lines by the fast path` +
    ' (StoreLineParser), the others by the general one (JsonArrayScanner + JSON.parse + checkLineItem)',
);
console.log(
  `compaction per store-month  ${compactedBytes} bytes, ${fixed(compactionRatio, 2)}× overall, per store` +
    ` ${fixed(worstStore, 2)}×–${fixed(Math.max(...storeRatios), 2)}×  target ≥ ${TARGET_COMPACTION_RATIO}× (overall):` +
    ` ${verdict(compactionRatio >= TARGET_COMPACTION_RATIO)}`,
);
for (const c of compaction) {
  console.log(
    `  store ${c.store}: ${c.days} days, JSON ${fixed(c.json / MB, 2)} MB -> ${c.compacted} bytes,` +
      ` ${fixed(c.json / c.compacted, 2)}×, ${fixed(c.ms, 0)} ms`,
  );
}
console.log(`peak RSS                    ${fixed(process.resourceUsage().maxRSS / 1024, 0)} MB`);
emitResult({
  bench: 'columnar',
  figures: [
    {
      id: 'columnar.per-file-vs-duckdb',
      label: 'per-file conversion, validation and figures included (CPU)',
      value: mbps(ours.cpu),
      unit: 'MB/s',
      peer: { label: 'DuckDB read_json → Parquet, 1 thread', value: mbps(duckdb.cpu) },
      target: { op: '>=', value: TARGET_VS_DUCKDB, of: 'peer' },
    },
    {
      id: 'columnar.per-file-vs-floor',
      label: 'per-file conversion against the parse floor (CPU)',
      value: mbps(ours.cpu),
      unit: 'MB/s',
      peer: { label: 'read + JSON.parse alone', value: mbps(floor.cpu) },
      target: { op: '>=', value: TARGET_VS_FLOOR, of: 'peer' },
    },
    {
      id: 'columnar.lake-ratio',
      label: 'lake, per file: JSON / Parquet',
      value: lakeRatio,
      unit: '×',
      peer: { label: 'DuckDB per file', value: duckRatio },
      target: { op: '>=', value: TARGET_LAKE_RATIO },
    },
    {
      id: 'columnar.compaction-ratio',
      label: 'lake, monthly compaction: JSON / Parquet',
      value: compactionRatio,
      unit: '×',
      target: { op: '>=', value: TARGET_COMPACTION_RATIO },
      note: `per store ${fixed(worstStore, 2)}×–${fixed(Math.max(...storeRatios), 2)}×`,
    },
  ],
  context: {
    files: files.length,
    rows,
    rejected,
    json_bytes: jsonBytes,
    // The read side (CPU ms per MB of JSON): the fast path with figures, and the general path it stands in for.
    read_ms_per_mb: Number(msPerMB(readFigures.cpu)),
    general_read_ms_per_mb: Number(msPerMB(generalRead.cpu)),
  },
});
