import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dayStatusKey, parseUploadKey } from '@tillflow/core';
import type { Platform } from '../platform';
import { TOPIC_NAMES } from '../resources';
import type { ExecutionRecord } from '../servers/step-functions';
import type { UploadResult } from './sample-upload';

/** What an upload-processor execution says of its file: its final state's output (`Processed` or `FileRejected`). */
export interface UploadOutcome {
  fileRejected: boolean;
  acceptedLines: number;
  rejectedLines: number;
}

/** Reads upload-processor's output: `{status: 'processed' | 'rejected', lines, accepted, rejected, …}`. */
export function uploadOutcome(output: unknown): UploadOutcome {
  const o = (output ?? {}) as { status?: unknown; accepted?: unknown; rejected?: unknown };
  return {
    fileRejected: o.status === 'rejected',
    acceptedLines: typeof o.accepted === 'number' ? o.accepted : 0,
    rejectedLines: typeof o.rejected === 'number' ? o.rejected : 0,
  };
}

/** What a run of the platform did, for people: the CLI prints it after the sample data. */
export interface RunSummary {
  uploads: { total: number; failed: UploadResult[] };
  files: { accepted: number; rejected: number; failed: number };
  lines: { accepted: number; rejected: number };
  /** Per business date: the stores reported, and how many daily-analysis executions succeeded for it. */
  days: { date: string; reported: string[]; missing: string[]; analysisClaimed: boolean; analyses: number }[];
  /** The daily report of the latest business date analysed, as published to the report topic. */
  lastReport?: { subject: string; text: string };
  /** `retries`: Task attempts retried by a Retry, all executions together. */
  executions: { total: number; byMachine: Record<string, number>; failed: ExecutionRecord[]; retries: number };
  parquet: { dir: string; files: number };
  elapsedMs: number;
}

/** Gathers the summary of the executions started since the platform started. */
export async function summarize(
  platform: Platform,
  input: { uploads: UploadResult[]; expectedStores: readonly string[]; elapsedMs: number },
): Promise<RunSummary> {
  const executions = platform.executions();
  const uploadRuns = executions.filter((r) => r.machine === 'upload-processor');
  const files = { accepted: 0, rejected: 0, failed: 0 };
  const lines = { accepted: 0, rejected: 0 };
  const dates = new Set<string>();
  for (const run of uploadRuns) {
    const date = uploadDate(keyOf(run));
    if (date) dates.add(date);
    if (run.status !== 'SUCCEEDED') {
      files.failed++;
      continue;
    }
    const outcome = uploadOutcome(parseJson(run.output));
    if (outcome.fileRejected) files.rejected++;
    else files.accepted++;
    lines.accepted += outcome.acceptedLines;
    lines.rejected += outcome.rejectedLines;
  }

  const documents = platform.documentClient();
  const days: RunSummary['days'] = [];
  for (const date of [...dates].sort()) {
    const out = await documents.send(new GetCommand({ TableName: platform.tables.sales, Key: dayStatusKey(date) }));
    const stored = out.Item?.reported_stores;
    const reported = stored instanceof Set ? [...stored].map(String).sort() : [];
    days.push({
      date,
      reported,
      missing: input.expectedStores.filter((s) => !reported.includes(s)),
      analysisClaimed: typeof out.Item?.analysis_claimed_at === 'string',
      analyses: executions.filter(
        (r) => r.machine === 'daily-analysis' && r.status === 'SUCCEEDED' && analysisDate(r) === date,
      ).length,
    });
  }
  const analysed = days.filter((d) => d.analyses > 0).map((d) => d.date);
  const lastDate = analysed.at(-1);
  const report = lastDate
    ? platform
        .messages(TOPIC_NAMES.report)
        .filter((m) => m.subject?.startsWith(`Tillflow daily report ${lastDate}`))
        .at(-1)
    : undefined;

  const byMachine: Record<string, number> = {};
  for (const run of executions) byMachine[run.machine] = (byMachine[run.machine] ?? 0) + 1;
  const parquetDir = join(platform.stateDir, 's3', platform.bucket, 'processed');
  return {
    uploads: { total: input.uploads.length, failed: input.uploads.filter((u) => !u.ok) },
    files,
    lines,
    days,
    ...(report ? { lastReport: { subject: report.subject ?? '', text: report.message } } : {}),
    executions: {
      total: executions.length,
      byMachine,
      failed: executions.filter((r) => r.status !== 'SUCCEEDED'),
      retries: executions.reduce((sum, r) => sum + r.retries, 0),
    },
    parquet: { dir: parquetDir, files: countFiles(parquetDir, '.parquet._S3rver_object') },
    elapsedMs: input.elapsedMs,
  };
}

/** True when every upload went through and every execution succeeded. */
export function succeeded(summary: RunSummary): boolean {
  return summary.uploads.failed.length === 0 && summary.executions.failed.length === 0;
}

/** The summary as the CLI prints it: counts, keys and error names only (never file contents or customer data). */
export function formatSummary(summary: RunSummary, cwd = process.cwd()): string {
  const n = (x: number): string => x.toLocaleString('en-US');
  const out: string[] = [];
  const processed = summary.files.accepted + summary.files.rejected + summary.files.failed;
  const resumed = processed - summary.uploads.total;
  out.push(
    `Processed ${n(Math.max(processed, summary.uploads.total))} uploads in ${(summary.elapsedMs / 1000).toFixed(1)} s` +
      (resumed > 0 ? ` (${n(resumed)} left by an interrupted run)` : ''),
  );
  const failedUploads = summary.uploads.failed.length;
  out.push(
    `  files       ${n(summary.files.accepted)} accepted, ${n(summary.files.rejected)} rejected, ` +
      `${n(summary.files.failed)} failed${failedUploads ? `, ${n(failedUploads)} not uploaded` : ''}`,
  );
  out.push(`  lines       ${n(summary.lines.accepted)} accepted, ${n(summary.lines.rejected)} rejected`);
  summary.days.forEach((day, i) => {
    const expected = day.reported.length + day.missing.length;
    const missing = day.missing.length ? `, missing ${day.missing.join(' ')}` : '';
    const claim = day.analyses
      ? `, analysed ${day.analyses === 1 ? 'once' : `${day.analyses} times`}`
      : day.analysisClaimed
        ? ', analysis claimed'
        : '';
    out.push(
      `  ${i === 0 ? 'stores' : '      '}      ${day.date} ${day.reported.length}/${expected}${missing}${claim}`,
    );
  });
  const machines = Object.entries(summary.executions.byMachine)
    .map(([m, count]) => `${n(count)} ${m}`)
    .join(', ');
  out.push(
    `  executions  ${n(summary.executions.total)}${machines ? ` (${machines})` : ''}, ` +
      `${n(summary.executions.failed.length)} failed` +
      (summary.executions.retries ? `, ${n(summary.executions.retries)} task retries` : ''),
  );
  const rel = relative(cwd, summary.parquet.dir);
  out.push(
    `  parquet     ${n(summary.parquet.files)} files under ${rel.startsWith('..') ? summary.parquet.dir : rel}/`,
  );
  for (const run of summary.executions.failed.slice(0, 20)) {
    const key = keyOf(run);
    out.push(`  FAILED      ${run.machine}/${run.name}${key ? ` (${key})` : ''}: ${describeFailure(run)}`);
  }
  if (summary.executions.failed.length > 20)
    out.push(`              … and ${summary.executions.failed.length - 20} more`);
  for (const upload of summary.uploads.failed.slice(0, 20)) out.push(`  NOT SENT    ${upload.file}: ${upload.error}`);
  if (summary.lastReport) out.push('', summary.lastReport.subject, '', summary.lastReport.text);
  return out.join('\n');
}

function describeFailure(run: ExecutionRecord): string {
  if (run.status !== 'FAILED') return run.status;
  const cause = parseJson(run.cause) as { errorType?: string; errorMessage?: string } | undefined;
  const detail = cause?.errorMessage ?? run.cause ?? '';
  return `${run.error ?? 'error'}${detail ? `: ${detail.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
}

/** The business date a daily-analysis execution was started for (`{date, revision, reason}`). */
function analysisDate(run: ExecutionRecord): string | undefined {
  const date = (parseJson(run.input) as { date?: unknown } | undefined)?.date;
  return typeof date === 'string' ? date : undefined;
}

/** The S3 key an execution was started for, when its input is an S3 event. */
function keyOf(run: ExecutionRecord): string | undefined {
  const input = parseJson(run.input) as { detail?: { object?: { key?: unknown } } } | undefined;
  const key = input?.detail?.object?.key;
  return typeof key === 'string' ? key : undefined;
}

/** The business date of a store file's upload key; undefined for any other key. */
function uploadDate(key: string | undefined): string | undefined {
  if (key === undefined) return undefined;
  try {
    return parseUploadKey(key).date;
  } catch {
    return undefined;
  }
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function countFiles(dir: string, suffix: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((path) => path.endsWith(suffix)).length;
}
