/**
 * Cold start of the Lambda bundles: how long a fresh Node process takes to import each function's `dist/index.mjs`
 * (the module-level work Lambda does before the first invocation), how big the bundle is, and how big the zip that
 * deploys it (`dist/functions/<name>.zip`). Usage:
 *   npx tsx scripts/bench/cold-start.ts [--runs 10] [--no-build] [--only generate-upload-url,process-upload]
 *
 * The bundles and zips are built first with `npm run package` (turbo: cached when nothing changed; skip with
 * --no-build to measure what is already built), then each bundle is imported in `--runs` separate `node` processes;
 * the median is reported, since one process can be slowed by the machine. The import runs with a valid configuration
 * in the environment (dummy names and ARNs, no credentials needed: nothing is called) and without the Lambda
 * variables, like a local run. The peer, measured the same way in the same run, is a fresh process importing the S3
 * client of the AWS SDK alone: what a function would pay at init if it loaded its SDK client eagerly.
 * Targets (shared/DESIGN.md, Performance targets) for API functions (those defined with `defineHttpHandler` or `defineHttpRoutes`):
 * zip ≤ 300 KB, cold import ≤ 100 ms. The other functions are listed against the same targets for reference.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { emitResult, type Figure, median } from './report';

const TARGET_IMPORT_MS = 100;
const TARGET_ZIP_BYTES = 300 * 1000;

const ROOT = resolve(import.meta.dirname, '..', '..');
const FUNCTIONS_DIR = join(ROOT, 'functions');

/** Every variable a handler's config may require, with values its schema accepts. */
const CONFIG_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  BUCKET_NAME: 'tillflow-bench',
  SALES_TABLE: 'tillflow-bench-sales',
  IDEMPOTENCY_TABLE: 'tillflow-bench-idempotency',
  ALERTS_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:tillflow-alerts',
  REPORT_TOPIC_ARN: 'arn:aws:sns:us-east-1:000000000000:tillflow-report',
  DAILY_ANALYSIS_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:tillflow-daily-analysis',
  ANALYTICS_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:000000000000:stateMachine:tillflow-analytics-job',
  EXPECTED_STORES: '0001,0002',
  POWERTOOLS_LOG_LEVEL: 'WARN',
};

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    'no-build': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
  strict: true,
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a positive integer, got "${values.runs}"`);
  process.exit(2);
}
const only = values.only?.split(',').map((name) => name.trim());

const functions = readdirSync(FUNCTIONS_DIR)
  .filter((name) => existsSync(join(FUNCTIONS_DIR, name, 'src', 'handler.ts')))
  .filter((name) => !only || only.includes(name))
  .sort();
if (functions.length === 0) {
  console.error(`no function matches --only ${values.only}`);
  process.exit(2);
}

/**
 * Milliseconds one fresh process spends in `import()` of the module, wall and CPU (CPU is steadier on a shared
 * machine: it leaves out the time other processes had the cores); the process prints nothing else.
 */
function importMs(specifier: string): { wall: number; cpu: number } {
  const script =
    `const c = process.cpuUsage(); const t = performance.now(); await import(${JSON.stringify(specifier)});` +
    ` const w = performance.now() - t; const u = process.cpuUsage(c); console.log(w, (u.user + u.system) / 1000);`;
  const env: Record<string, string | undefined> = { ...process.env, ...CONFIG_ENV };
  // Measured as outside Lambda, whatever shell the benchmark runs in.
  for (const name of ['AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME', 'NODE_OPTIONS']) delete env[name];
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env,
    encoding: 'utf8',
    // The SDK's Node-version notice on stderr is noise here; a failed import still throws with its stderr.
    stdio: ['ignore', 'pipe', 'pipe'],
    // Resolved from a function folder, where the SDK is installed as Lambda's runtime provides it.
    cwd: join(FUNCTIONS_DIR, functions[0] as string),
  });
  const [wall, cpu] = (out.trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  return { wall: wall as number, cpu: cpu as number };
}

interface Row {
  name: string;
  api: boolean;
  bundleBytes: number;
  zipBytes: number;
  ms: number;
  cpuMs: number;
}

if (!values['no-build']) execFileSync('npm', ['run', 'package', '--silent'], { cwd: ROOT, stdio: 'ignore' });
const rows: Row[] = [];
for (const name of functions) {
  const dir = join(FUNCTIONS_DIR, name);
  const bundlePath = join(dir, 'dist', 'index.mjs');
  const zipPath = join(ROOT, 'dist', 'functions', `${name}.zip`);
  // Without --no-build both exist; with it, a bundle without its zip (npm test builds no zips) has no zip figure.
  for (const path of values['no-build'] ? [bundlePath] : [bundlePath, zipPath]) {
    if (!existsSync(path)) {
      console.error(`${name}: no ${path}; run npm run package or drop --no-build`);
      process.exit(1);
    }
  }
  const api = /\bdefineHttp(Handler|Routes)\b/.test(readFileSync(join(dir, 'src', 'handler.ts'), 'utf8'));
  const times = Array.from({ length: runs }, () => importMs(pathToFileURL(bundlePath).href));
  rows.push({
    name,
    api,
    bundleBytes: statSync(bundlePath).size,
    zipBytes: existsSync(zipPath) ? statSync(zipPath).size : Number.NaN,
    ms: median(times.map((t) => t.wall)),
    cpuMs: median(times.map((t) => t.cpu)),
  });
}
const sdkMs = median(Array.from({ length: runs }, () => importMs('@aws-sdk/client-s3').wall));
const load = loadavg()[0] ?? 0;

const mark = (ok: boolean, api: boolean) => (ok ? 'ok' : api ? 'OVER' : 'over');
console.log(
  `cold import: median of ${runs} fresh node processes (load average ${load.toFixed(1)} on ${availableParallelism()} cores); targets for API functions: zip ≤ ${TARGET_ZIP_BYTES / 1000} KB, import ≤ ${TARGET_IMPORT_MS} ms`,
);
console.log(
  `${'function'.padEnd(26)} ${'api'.padEnd(4)} ${'bundle KB'.padStart(10)} ${'zip KB'.padStart(8)}       ${'import ms'.padStart(10)}      ${'CPU ms'.padStart(7)}`,
);
for (const row of rows) {
  const bundleKb = (row.bundleBytes / 1000).toFixed(1).padStart(10);
  const zipKb = (Number.isNaN(row.zipBytes) ? '-' : (row.zipBytes / 1000).toFixed(1)).padStart(8);
  const ms = row.ms.toFixed(1).padStart(10);
  const sizeMark = mark(row.zipBytes <= TARGET_ZIP_BYTES, row.api).padEnd(4);
  const timeMark = mark(row.ms <= TARGET_IMPORT_MS, row.api);
  console.log(
    `${row.name.padEnd(26)} ${(row.api ? 'yes' : '').padEnd(4)} ${bundleKb} ${zipKb} ${sizeMark}  ${ms} ${timeMark.padEnd(4)} ${row.cpuMs.toFixed(1).padStart(7)}`,
  );
}
console.log(`peer: @aws-sdk/client-s3 alone imports in ${sdkMs.toFixed(1)} ms (median of ${runs})`);
const failed = rows.filter((r) => r.api && (r.zipBytes > TARGET_ZIP_BYTES || r.ms > TARGET_IMPORT_MS));
if (failed.length > 0) console.log(`API functions over target: ${failed.map((r) => r.name).join(', ')}`);

// The API functions against their targets; the others as figures without a target, for reference.
const zipFigure = (row: Row): Figure => ({
  id: `cold-start.${row.name}.zip-kb`,
  label: `${row.name} zip${row.api ? ' (API)' : ''}`,
  value: row.zipBytes / 1000,
  unit: 'KB',
  ...(row.api ? { target: { op: '<=', value: TARGET_ZIP_BYTES / 1000 } as const } : {}),
  note: `bundle ${(row.bundleBytes / 1000).toFixed(0)} KB`,
});
const figures: Figure[] = rows.flatMap((row): Figure[] => [
  ...(Number.isNaN(row.zipBytes) ? [] : [zipFigure(row)]),
  {
    id: `cold-start.${row.name}.import-ms`,
    label: `${row.name} cold import${row.api ? ' (API)' : ''}, median of ${runs}`,
    value: row.ms,
    unit: 'ms',
    peer: { label: '@aws-sdk/client-s3 alone', value: sdkMs },
    ...(row.api ? { target: { op: '<=', value: TARGET_IMPORT_MS } as const } : {}),
    note: `CPU ${row.cpuMs.toFixed(0)} ms`,
  },
]);
emitResult({ bench: 'cold-start', figures, context: { runs, loadAverage: load } });
if (failed.length > 0) process.exitCode = 1;
