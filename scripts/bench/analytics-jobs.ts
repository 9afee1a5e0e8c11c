/**
 * One analytics job of each operation over the sample month, through the local platform and its bundles: the month's
 * store files uploaded through the API and processed (both workflows), a generated marketplace report of the same
 * month uploaded to `uploads/marketplace/amazon/`, then for each operation `POST /analytics/jobs` (the analytics-job
 * workflow, run-analytics-job with DuckDB over the partitions of the range) and `GET /analytics/jobs/{id}`. Usage:
 *   npx tsx scripts/bench/analytics-jobs.ts [--stores 11] [--days 30] [--orders 5000] [--keep-state]
 *
 * Prints, per operation, its parameters, the row count, the first row and the time: the workflow's (execution start
 * to end, what a caller waits for) and run-analytics-job's own (its REPORT line's Duration). The jobs run one after
 * the other; the first one's time includes run-analytics-job's cold start (its bundle and DuckDB loaded).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { AnalyticsJobAccepted, AnalyticsJobView, UploadUrlResponse } from '@tillflow/core';
import { addDays } from '@tillflow/core';
import { generateMarketplaceLines, serializeMarketplaceReport } from '../marketplace-data';
import { generatedData, MONTH } from './data';
import { benchPlatform, checkExecutions, dataFiles, executionMs, uploadAndSettle } from './platform-run';
import { emitResult, type Figure } from './report';

const { values } = parseArgs({
  options: {
    stores: { type: 'string', default: String(MONTH.stores) },
    days: { type: 'string', default: String(MONTH.days) },
    orders: { type: 'string', default: '5000' },
    'keep-state': { type: 'boolean', default: false },
  },
  strict: true,
});
const stores = Number(values.stores);
const days = Number(values.days);
const orders = Number(values.orders);
if (![stores, days, orders].every((n) => Number.isInteger(n) && n >= 1)) {
  console.error('--stores, --days and --orders take positive whole numbers');
  process.exit(2);
}

const data = generatedData({ stores, days, start: MONTH.start, seed: MONTH.seed });
const files = dataFiles(data.dir);
const storeIds = [...new Set(files.map((f) => f.slice(6, 10)))].sort();
const range = { from: MONTH.start, to: addDays(MONTH.start, days - 1) };

/** The job of each operation: parameters a chain would ask for over the month. */
const JOBS: { operation: string; parameters: Record<string, unknown> }[] = [
  { operation: 'revenue_by_period', parameters: { ...range, period: 'week', dimension: 'store' } },
  { operation: 'store_ranking', parameters: { ...range, metric: 'net_sales' } },
  { operation: 'product_affinity', parameters: { ...range, min_support: 0.005, limit: 20 } },
  { operation: 'customer_analysis', parameters: { ...range, segment_bounds_cents: [2500, 10000] } },
  { operation: 'hourly_profile', parameters: { ...range, by: 'company' } },
  { operation: 'marketplace_summary', parameters: { ...range, group_by: 'category' } },
  { operation: 'data_integrity', parameters: range },
];

async function json<T>(res: Response): Promise<T> {
  if (!res.ok && res.status !== 202) throw new Error(`${res.url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** The marketplace report through the upload route, as a chain uploads it; waits until it is processed. */
async function uploadMarketplace(api: string): Promise<number> {
  const lines = generateMarketplaceLines({ orders, start: MONTH.start, days, seed: MONTH.seed });
  const upload = await json<UploadUrlResponse>(
    await fetch(`${api}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ filename: 'orders-month.csv', channel: 'amazon' }),
    }),
  );
  const put = await fetch(upload.uploadUrl, {
    method: 'PUT',
    headers: upload.headers,
    body: serializeMarketplaceReport(lines),
  });
  if (!put.ok) throw new Error(`marketplace upload: ${put.status}`);
  return lines.length;
}

interface JobRun {
  operation: string;
  parameters: Record<string, unknown>;
  rows: number;
  first: unknown;
  workflowMs: number;
  functionMs: number | undefined;
}

const stateDir = mkdtempSync(join(tmpdir(), 'tillflow-bench-jobs-'));
const { platform, reports } = await benchPlatform(stateDir, storeIds);
const runs: JobRun[] = [];
let marketplaceLines = 0;
try {
  await uploadAndSettle(platform, data.dir, files);
  checkExecutions(platform.executions(), files);
  marketplaceLines = await uploadMarketplace(platform.endpoints.api);
  await platform.waitForIdle({ timeoutMs: 10 * 60_000 });
  for (const job of JOBS) {
    const before = reports.reports.filter((r) => r.fn === 'run-analytics-job').length;
    const accepted = await json<AnalyticsJobAccepted>(
      await fetch(`${platform.endpoints.api}/analytics/jobs`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(job),
      }),
    );
    await platform.waitForIdle({ timeoutMs: 10 * 60_000 });
    const view = await json<AnalyticsJobView>(await fetch(`${platform.endpoints.api}${accepted.links.self}`));
    if (view.status !== 'SUCCEEDED') throw new Error(`${job.operation}: ${view.status} ${JSON.stringify(view.error)}`);
    const execution = platform.executions({ machine: 'analytics-job' }).find((e) => e.name === accepted.job_id);
    const report = reports.reports.filter((r) => r.fn === 'run-analytics-job')[before];
    runs.push({
      operation: job.operation,
      parameters: job.parameters,
      rows: view.row_count ?? 0,
      first: view.result?.rows[0] ?? null,
      workflowMs: execution ? executionMs(execution) : Number.NaN,
      functionMs: report?.durationMs,
    });
  }
} finally {
  await platform.stop();
  if (!values['keep-state']) rmSync(stateDir, { recursive: true, force: true });
  else console.error(`state kept in ${stateDir}`);
}

const shape = `${storeIds.length} stores × ${days} days, ${files.length} store files; a marketplace report of ${marketplaceLines} lines`;
console.log(`analytics jobs: one of each operation through POST /analytics/jobs (DuckDB), over ${shape}`);
console.log(
  `${'operation'.padEnd(20)} ${'rows'.padStart(5)} ${'workflow ms'.padStart(12)} ${'function ms'.padStart(12)}`,
);
for (const r of runs) {
  console.log(
    `${r.operation.padEnd(20)} ${String(r.rows).padStart(5)} ${r.workflowMs.toFixed(0).padStart(12)} ${(r.functionMs?.toFixed(0) ?? '-').padStart(12)}`,
  );
  console.log(`  parameters ${JSON.stringify(r.parameters)}`);
  console.log(`  first row  ${JSON.stringify(r.first)}`);
}
const figures: Figure[] = runs.map((r, i) => ({
  id: `analytics-jobs.${r.operation}.ms`,
  label: `${r.operation} job (workflow, DuckDB), ${r.rows} rows`,
  value: r.workflowMs,
  unit: 'ms',
  note: `run-analytics-job ${r.functionMs?.toFixed(0) ?? '-'} ms${i === 0 ? ' (cold start included)' : ''}`,
}));
emitResult({
  bench: 'analytics-jobs',
  figures,
  context: { stores: storeIds.length, days, storeFiles: files.length, marketplaceLines, jobs: runs },
});
