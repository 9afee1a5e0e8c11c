/**
 * The month through both workflows on the local platform, from the functions' bundles (what deploys), as
 * `npm start -- --once --data-dir <month>` runs it: every file uploaded through the API, every upload processed,
 * every complete day analysed. Usage:
 *   npx tsx scripts/bench/platform.ts [--stores 11] [--days 30] [--dir FOLDER] [--keep-state] [--concurrency N]
 *
 * Prints the wall time from the first upload to the last workflow's end, the CPU time of the platform (its
 * environments' threads included) and of the storage process (S3, DynamoDB), the peak RSS of each, and the time per
 * step: in the Task state (from the execution histories; includes waiting for a free execution environment) and in
 * the function (the REPORT lines' Duration). The slowest step is the one with the most function time (state time
 * is mostly the wait of 330 uploads started together for a few environments). Target (issue 9): the month in ≤ 30 s.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generatedData, MONTH } from './data';
import {
  benchPlatform,
  checkExecutions,
  cpuNow,
  dataFiles,
  peakRssMb,
  stepTimes,
  uploadAndSettle,
} from './platform-run';
import { emitResult, type Figure } from './report';

const TARGET_MONTH_S = 30;

const { values } = parseArgs({
  options: {
    stores: { type: 'string', default: String(MONTH.stores) },
    days: { type: 'string', default: String(MONTH.days) },
    dir: { type: 'string' },
    'keep-state': { type: 'boolean', default: false },
    concurrency: { type: 'string' },
  },
  strict: true,
});
const stores = Number(values.stores);
const days = Number(values.days);
if (!Number.isInteger(stores) || stores < 1 || !Number.isInteger(days) || days < 1) {
  console.error('--stores and --days take positive whole numbers');
  process.exit(2);
}
const data = values.dir
  ? { dir: values.dir, bytes: 0, files: 0 }
  : generatedData({ stores, days, start: MONTH.start, seed: MONTH.seed });
const files = dataFiles(data.dir);
if (files.length === 0) {
  console.error(`no store files in ${data.dir}`);
  process.exit(1);
}
const storeIds = [...new Set(files.map((f) => f.slice(6, 10)))].sort();
const monthShaped = storeIds.length === MONTH.stores && files.length === MONTH.stores * MONTH.days;

const stateDir = mkdtempSync(join(tmpdir(), 'tillflow-bench-platform-'));
const { platform, reports } = await benchPlatform(
  stateDir,
  storeIds,
  values.concurrency ? { concurrency: Number(values.concurrency) } : {},
);
let result: { figures: Figure[]; lines: string[] };
try {
  const cpu0 = cpuNow();
  const began = performance.now();
  await uploadAndSettle(platform, data.dir, files);
  const wallMs = performance.now() - began;
  const cpu1 = cpuNow();
  const rss = peakRssMb();
  const executions = platform.executions();
  checkExecutions(executions, files);
  const steps = stepTimes(stateDir, executions, reports);
  const functionMs = steps.reduce((n, s) => n + s.functionMs, 0);
  const slowest = steps[0];
  const platformCpu = cpu1.platformMs - cpu0.platformMs;
  const storageCpu = cpu1.storageMs - cpu0.storageMs;
  const lines = [
    `platform benchmark: ${files.length} uploads (${storeIds.length} stores × ${files.length / storeIds.length} days)` +
      `${data.bytes ? `, ${(data.bytes / 1e6).toFixed(1)} MB of JSON` : ''}, ${executions.length} executions, all succeeded`,
    `wall time, first upload to last workflow end   ${(wallMs / 1000).toFixed(1)} s${monthShaped ? `  target ≤ ${TARGET_MONTH_S} s: ${wallMs / 1000 <= TARGET_MONTH_S ? 'PASS' : 'FAIL'}` : ''}`,
    `CPU: platform process ${(platformCpu / 1000).toFixed(1)} s (main thread ${((cpu1.mainThreadMs - cpu0.mainThreadMs) / 1000).toFixed(1)} s, the rest in the environments), storage process ${(storageCpu / 1000).toFixed(1)} s`,
    `peak RSS: platform ${rss.platformMb.toFixed(0)} MB, storage ${rss.storageMb.toFixed(0)} MB`,
    `${'step'.padEnd(44)} ${'in state s'.padStart(10)} ${'in function s'.padStart(13)} ${'calls'.padStart(6)} ${'cold'.padStart(5)} ${'init s'.padStart(7)}`,
    ...steps.map(
      (s) =>
        `${`${s.machine}/${s.state}`.padEnd(44)} ${(s.stateMs / 1000).toFixed(2).padStart(10)} ${(s.functionMs / 1000).toFixed(2).padStart(13)} ${String(s.invocations).padStart(6)} ${String(s.coldStarts).padStart(5)} ${(s.initMs / 1000).toFixed(2).padStart(7)}`,
    ),
    `slowest step (most time in its function): ${slowest ? `${slowest.machine}/${slowest.state}, ${((100 * slowest.functionMs) / functionMs).toFixed(0)}% of all function time` : '-'}`,
  ];
  const label = monthShaped ? 'month' : `${storeIds.length} stores × ${files.length / storeIds.length} days`;
  const figures: Figure[] = [
    {
      id: 'platform.wall-s',
      label: `${label} through both workflows (local platform, bundles)`,
      value: wallMs / 1000,
      unit: 's',
      ...(monthShaped ? { target: { op: '<=', value: TARGET_MONTH_S } as const } : {}),
      note: `slowest step ${slowest?.state}: ${((100 * (slowest?.functionMs ?? 0)) / functionMs).toFixed(0)}% of function time`,
    },
    {
      id: 'platform.cpu-s',
      label: `${label}: CPU, platform + storage process`,
      value: (platformCpu + storageCpu) / 1000,
      unit: 's',
      note: `storage process ${(storageCpu / 1000).toFixed(1)} s`,
    },
    {
      id: 'platform.peak-rss-mb',
      label: `${label}: peak RSS, platform + storage process`,
      value: rss.platformMb + rss.storageMb,
      unit: 'MB',
    },
  ];
  result = { figures, lines };
} finally {
  await platform.stop();
  if (!values['keep-state']) rmSync(stateDir, { recursive: true, force: true });
  else console.error(`state kept in ${stateDir}`);
}
for (const line of result.lines) console.log(line);
emitResult({ bench: 'platform', figures: result.figures, context: { uploads: files.length, stores: storeIds.length } });
