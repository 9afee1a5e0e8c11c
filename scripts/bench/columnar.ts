/**
 * Benchmark of the upload path's conversion, store JSON -> canonical rows -> Parquet, and of the monthly compaction.
 * Usage:
 *   npx tsx scripts/bench/columnar.ts --dir <folder of store_NNNN_YYYY-MM-DD.json files> [--passes 3]
 *
 * Each file goes through what process-upload does with it: the bytes, validateStoreFile, rowsToParquet, one file
 * at a time on one thread. Throughput is the JSON bytes over the time of the best pass (after a warm-up pass, as in
 * a warm Lambda), next to JSON.parse alone on the same bytes as the reference. Targets (shared/DESIGN.md,
 * Performance targets): ≥ 100 MB/s of JSON, a lake ≥ 25× smaller than the JSON, a monthly compaction ≥ 34×.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { concatParquet, rowsToParquet } from '@tillflow/columnar';
import { parseStoreFileName, type StoreDay, validateStoreFile } from '@tillflow/core';

const TARGET_MB_PER_S = 100;
const TARGET_LAKE_RATIO = 25;
const TARGET_COMPACTION_RATIO = 34;

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
function bestPass(work: (file: StoreFile) => void): Timing {
  for (const file of files) work(file);
  const best: Timing = { wall: Number.POSITIVE_INFINITY, cpu: Number.POSITIVE_INFINITY };
  for (let p = 0; p < passes; p++) {
    const wall = performance.now();
    const cpu = cpuNow();
    for (const file of files) work(file);
    best.wall = Math.min(best.wall, performance.now() - wall);
    best.cpu = Math.min(best.cpu, cpuNow() - cpu);
  }
  return best;
}

const decoder = new TextDecoder();
const parseMs = bestPass((f) => JSON.parse(decoder.decode(f.bytes)));
const validateMs = bestPass((f) => validateStoreFile(f.bytes, f.storeDay));

const parquet = new Map<string, Uint8Array>();
const pipelineMs = bestPass((f) => {
  parquet.set(f.name, rowsToParquet(validateStoreFile(f.bytes, f.storeDay).rows));
});
// Counted once, outside the timed passes.
let rows = 0;
let rejected = 0;
for (const f of files) {
  const validated = validateStoreFile(f.bytes, f.storeDay);
  rows += validated.rows.length;
  rejected += validated.rejected.length;
}
const parquetBytes = [...parquet.values()].reduce((n, b) => n + b.byteLength, 0);

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
const rate = (t: Timing) => `${fixed(mbps(t.wall))} MB/s wall, ${fixed(mbps(t.cpu))} MB/s CPU`;
const pipelineMbps = mbps(pipelineMs.wall);
const lakeRatio = jsonBytes / parquetBytes;
const compactionRatio = jsonBytes / compactedBytes;
const worstStore = Math.min(...storeRatios);

console.log(
  `columnar benchmark: ${files.length} store files, ${byStore.size} stores, ${rows} rows (${rejected} rejected)`,
);
console.log(`JSON                      ${fixed(jsonBytes / MB, 2)} MB`);
console.log(`JSON.parse only           ${rate(parseMs)} (reference)`);
console.log(`validateStoreFile         ${rate(validateMs)} (parse included)`);
console.log(
  `validate + rowsToParquet  ${rate(pipelineMs)}, one thread, best of ${passes}` +
    `  target ≥ ${TARGET_MB_PER_S} MB/s: ${verdict(pipelineMbps >= TARGET_MB_PER_S)}`,
);
for (const [label, key] of [
  ['wall', 'wall'],
  ['CPU ', 'cpu'],
] as const) {
  console.log(
    `  ms per MB of JSON (${label}): parse ${msPerMB(parseMs[key])}, validation ${msPerMB(validateMs[key] - parseMs[key])},` +
      ` rowsToParquet ${msPerMB(pipelineMs[key] - validateMs[key])}`,
  );
}
console.log(`Parquet (store-day files) ${parquetBytes} bytes, ${fixed(parquetBytes / files.length, 0)} bytes a file`);
console.log(
  `lake ratio JSON/Parquet   ${fixed(lakeRatio, 2)}×  target ≥ ${TARGET_LAKE_RATIO}×: ${verdict(lakeRatio >= TARGET_LAKE_RATIO)}`,
);
console.log(
  `compaction per store      ${compactedBytes} bytes, ${fixed(compactionRatio, 2)}× overall, per store` +
    ` ${fixed(worstStore, 2)}×–${fixed(Math.max(...storeRatios), 2)}×  target ≥ ${TARGET_COMPACTION_RATIO}× for a month (every store):` +
    ` ${verdict(worstStore >= TARGET_COMPACTION_RATIO)}`,
);
for (const c of compaction) {
  console.log(
    `  store ${c.store}: ${c.days} days, JSON ${fixed(c.json / MB, 2)} MB -> ${c.compacted} bytes,` +
      ` ${fixed(c.json / c.compacted, 2)}×, ${fixed(c.ms, 0)} ms`,
  );
}
console.log(`peak RSS                  ${fixed(process.resourceUsage().maxRSS / 1024, 0)} MB`);
