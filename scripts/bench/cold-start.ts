/**
 * Cold start of the Lambda bundles: how long a fresh Node process takes to import each function's `dist/index.mjs`
 * (the module-level work Lambda does before the first invocation), and how big the bundle is.
 * Usage:
 *   npx tsx scripts/bench/cold-start.ts [--runs 5] [--no-build] [--only generate-upload-url,process-upload]
 *
 * Each function is bundled first with `tillflow-build bundle` (skip with --no-build to measure the bundles already in
 * `functions/<name>/dist/`), then imported in `--runs` separate `node` processes; the median is reported, since one
 * process can be slowed by the machine. The import runs with a valid configuration in the environment (dummy names
 * and ARNs, no credentials needed: nothing is called) and without the Lambda variables, like a local run.
 * Targets (shared/DESIGN.md, Performance targets) for API functions (those defined with `defineHttpHandler` or `defineHttpRoutes`):
 * bundle ≤ 300 KB, cold import ≤ 100 ms. The other functions are listed against the same targets for reference.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const TARGET_IMPORT_MS = 100;
const TARGET_BUNDLE_BYTES = 300 * 1000;

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
  EXPECTED_STORES: '0001,0002',
  POWERTOOLS_LOG_LEVEL: 'WARN',
};

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
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

/** Milliseconds one fresh process spends in `import()` of the bundle; the process prints nothing else. */
function importMs(bundlePath: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(pathToFileURL(bundlePath).href)}); console.log(performance.now() - t);`;
  const env: Record<string, string | undefined> = { ...process.env, ...CONFIG_ENV };
  // Measured as outside Lambda, whatever shell the benchmark runs in.
  for (const name of ['AWS_EXECUTION_ENV', 'AWS_LAMBDA_FUNCTION_NAME', 'NODE_OPTIONS']) delete env[name];
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env,
    encoding: 'utf8',
    // The SDK's Node-version notice on stderr is noise here; a failed import still throws with its stderr.
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return Number(out.trim().split('\n').at(-1));
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

interface Row {
  name: string;
  api: boolean;
  bytes: number;
  ms: number;
}

const rows: Row[] = [];
for (const name of functions) {
  const dir = join(FUNCTIONS_DIR, name);
  if (!values['no-build'])
    execFileSync('npx', ['--no-install', 'tillflow-build', 'bundle'], { cwd: dir, stdio: 'ignore' });
  const bundlePath = join(dir, 'dist', 'index.mjs');
  if (!existsSync(bundlePath)) {
    console.error(`${name}: no ${bundlePath}; build it or drop --no-build`);
    process.exit(1);
  }
  const api = /\bdefineHttp(Handler|Routes)\b/.test(readFileSync(join(dir, 'src', 'handler.ts'), 'utf8'));
  const times = Array.from({ length: runs }, () => importMs(bundlePath));
  rows.push({ name, api, bytes: statSync(bundlePath).size, ms: median(times) });
}

const mark = (ok: boolean, api: boolean) => (ok ? 'ok' : api ? 'OVER' : 'over');
console.log(
  `cold import: median of ${runs} fresh node processes; targets for API functions ≤ ${TARGET_IMPORT_MS} ms, ≤ ${TARGET_BUNDLE_BYTES / 1000} KB`,
);
console.log(
  `${'function'.padEnd(26)} ${'api'.padEnd(4)} ${'bundle KB'.padStart(10)}       ${'import ms'.padStart(10)}`,
);
for (const row of rows) {
  const kb = (row.bytes / 1000).toFixed(1).padStart(10);
  const ms = row.ms.toFixed(1).padStart(10);
  const sizeMark = mark(row.bytes <= TARGET_BUNDLE_BYTES, row.api).padEnd(4);
  const timeMark = mark(row.ms <= TARGET_IMPORT_MS, row.api);
  console.log(`${row.name.padEnd(26)} ${(row.api ? 'yes' : '').padEnd(4)} ${kb} ${sizeMark}  ${ms} ${timeMark}`);
}
const failed = rows.filter((r) => r.api && (r.bytes > TARGET_BUNDLE_BYTES || r.ms > TARGET_IMPORT_MS));
if (failed.length > 0) {
  console.log(`API functions over target: ${failed.map((r) => r.name).join(', ')}`);
  process.exitCode = 1;
}
