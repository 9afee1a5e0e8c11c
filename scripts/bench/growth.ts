/**
 * Growth with the chain's size: for each number of stores (default 11, 50 and 200), 7 days through the local
 * platform from the bundles, then the time of one upload and of one day's analysis, each measured alone. Usage:
 *   npx tsx scripts/bench/growth.ts [--sizes 11,50,200] [--days 7]
 *
 * For each size, a fresh platform takes the first days' files (8 uploads at a time, as the CLI sends them) and the
 * last day's files but five, so that every function has warm environments and the tables and the lake hold a week;
 * then the last five files are uploaded one at a time, each alone on the platform. The median of their
 * upload-processor executions is "one upload", and the daily-analysis the last one starts (the day is then
 * complete) is "one day's analysis", each with its steps' times from the execution history.
 * Target (issue 9): both grow no faster than the stores do: the ratio of a size's time to the smallest size's is at
 * most the ratio of their store counts. The step that takes the longest at the largest size is named.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { ExecutionRecord, Platform } from '@tillflow/local';
import { generatedData, MONTH } from './data';
import { benchPlatform, dataFiles, executionMs, stepTimes, uploadAndSettle } from './platform-run';
import { emitResult, type Figure } from './report';

const { values } = parseArgs({
  options: { sizes: { type: 'string', default: '11,50,200' }, days: { type: 'string', default: '7' } },
  strict: true,
});
const sizes = (values.sizes ?? '').split(',').map(Number);
const days = Number(values.days);
if (sizes.some((n) => !Number.isInteger(n) || n < 1 || n > 9999) || !Number.isInteger(days) || days < 2) {
  console.error('--sizes takes store counts separated by commas (1-9999), --days a whole number ≥ 2');
  process.exit(2);
}

interface SizeResult {
  stores: number;
  uploadMs: number;
  analysisMs: number;
  uploadSteps: { state: string; ms: number }[];
  analysisSteps: { state: string; ms: number }[];
}

/** The Task states of one execution and their times (entered → exited), longest first. */
function stepsOf(platform: Platform, record: ExecutionRecord): { state: string; ms: number }[] {
  return stepTimes(platform.stateDir, [record])
    .map((s) => ({ state: s.state, ms: s.stateMs }))
    .sort((a, b) => b.ms - a.ms);
}

async function measure(stores: number): Promise<SizeResult> {
  const data = generatedData({ stores, days, start: MONTH.start, seed: MONTH.seed });
  const files = dataFiles(data.dir);
  // The last day's last stores, each uploaded alone (at most as many as the day has files, less one).
  const alone = Math.min(ALONE, stores - 1) || 1;
  const stateDir = mkdtempSync(join(tmpdir(), `tillflow-bench-growth-${stores}-`));
  const storeIds = [...new Set(files.map((f) => f.slice(6, 10)))].sort();
  const { platform } = await benchPlatform(stateDir, storeIds);
  try {
    await uploadAndSettle(platform, data.dir, files.slice(0, -alone));
    const uploads: ExecutionRecord[] = [];
    let analysis: ExecutionRecord | undefined;
    for (const file of files.slice(-alone)) {
      const before = new Set(platform.executions().map((e) => e.executionArn));
      await uploadAndSettle(platform, data.dir, [file]);
      const fresh = platform.executions().filter((e) => !before.has(e.executionArn));
      const upload = fresh.find((e) => e.machine === 'upload-processor');
      if (upload) uploads.push(upload);
      analysis ??= fresh.find((e) => e.machine === 'daily-analysis');
    }
    const upload = uploads.sort((a, b) => executionMs(a) - executionMs(b))[Math.floor((uploads.length - 1) / 2)];
    const bad = platform.executions().filter((e) => e.status !== 'SUCCEEDED');
    if (!upload || uploads.length !== alone || !analysis || bad.length > 0) {
      throw new Error(
        `${stores} stores: expected the last upload to be processed and its day analysed, every execution to succeed` +
          ` (${bad.length} did not${bad[0] ? `, first ${bad[0].name}: ${bad[0].error}` : ''})`,
      );
    }
    return {
      stores,
      uploadMs: executionMs(upload),
      analysisMs: executionMs(analysis),
      uploadSteps: stepsOf(platform, upload),
      analysisSteps: stepsOf(platform, analysis),
    };
  } finally {
    await platform.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** How many of the last day's uploads are each measured alone; "one upload" is their median. */
const ALONE = 5;

const results: SizeResult[] = [];
for (const stores of sizes) {
  const result = await measure(stores);
  results.push(result);
  console.error(`growth: ${stores} stores measured`);
}
const base = results[0] as SizeResult;
const top = results.at(-1) as SizeResult;
const steps = (s: { state: string; ms: number }[]) => s.map((x) => `${x.state} ${x.ms}`).join(', ');
console.log(
  `growth benchmark: ${days} days per size; one upload = median of the last ${ALONE} uploads each alone; then the day's analysis`,
);
console.log(
  `${'stores'.padStart(6)} ${'upload ms'.padStart(10)} ${'×'.padStart(6)} ${'analysis ms'.padStart(12)} ${'×'.padStart(6)} ${'stores ×'.padStart(9)}`,
);
for (const r of results) {
  console.log(
    `${String(r.stores).padStart(6)} ${String(r.uploadMs).padStart(10)} ${(r.uploadMs / base.uploadMs).toFixed(2).padStart(6)}` +
      ` ${String(r.analysisMs).padStart(12)} ${(r.analysisMs / base.analysisMs).toFixed(2).padStart(6)} ${(r.stores / base.stores).toFixed(2).padStart(9)}`,
  );
  console.log(`         upload steps: ${steps(r.uploadSteps)}`);
  console.log(`         analysis steps: ${steps(r.analysisSteps)}`);
}
const dominantUpload = top.uploadSteps[0];
const dominantAnalysis = top.analysisSteps[0];
console.log(
  `at ${top.stores} stores the upload is dominated by ${dominantUpload?.state} (${dominantUpload?.ms} ms), the analysis by ${dominantAnalysis?.state} (${dominantAnalysis?.ms} ms)`,
);

const figures: Figure[] = results.slice(1).flatMap((r): Figure[] => {
  const growth = r.stores / base.stores;
  return [
    {
      id: `growth.upload-ms.${r.stores}`,
      label: `one upload at ${r.stores} stores (peer: ${base.stores} stores)`,
      value: r.uploadMs,
      unit: 'ms',
      peer: { label: `${base.stores} stores`, value: base.uploadMs },
      target: { op: '<=', value: growth, of: 'peer' },
      note: `slowest step ${r.uploadSteps[0]?.state} ${r.uploadSteps[0]?.ms} ms`,
    },
    {
      id: `growth.analysis-ms.${r.stores}`,
      label: `one day's analysis at ${r.stores} stores (peer: ${base.stores} stores)`,
      value: r.analysisMs,
      unit: 'ms',
      peer: { label: `${base.stores} stores`, value: base.analysisMs },
      target: { op: '<=', value: growth, of: 'peer' },
      note: `slowest step ${r.analysisSteps[0]?.state} ${r.analysisSteps[0]?.ms} ms`,
    },
  ];
});
emitResult({
  bench: 'growth',
  figures,
  context: {
    days,
    sizes: results.map((r) => ({
      stores: r.stores,
      uploadMs: r.uploadMs,
      analysisMs: r.analysisMs,
      uploadSteps: r.uploadSteps,
      analysisSteps: r.analysisSteps,
    })),
  },
});
