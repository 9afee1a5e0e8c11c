import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { dayStatusKey } from '@tillflow/core';
import type { Platform } from './platform';
import type { UploadResult } from './sample-upload';
import type { ExecutionRecord } from './step-functions';

/** What an upload-processor execution says of its file, read from its output (see {@link uploadOutcome}). */
export interface UploadOutcome {
  fileRejected: boolean;
  acceptedLines?: number;
  rejectedLines?: number;
}

/** What a run of the platform did, for people: the CLI prints it after the sample data. */
export interface RunSummary {
  uploads: { total: number; failed: UploadResult[] };
  files: { accepted: number; rejected: number; failed: number };
  /** Undefined when the workflow's output does not report line counts. */
  lines?: { accepted: number; rejected: number };
  days: { date: string; reported: string[]; missing: string[]; analysisClaimed: boolean }[];
  /** `retries`: Task attempts retried by a Retry, all executions together. */
  executions: { total: number; byMachine: Record<string, number>; failed: ExecutionRecord[]; retries: number };
  parquet: { dir: string; files: number };
  elapsedMs: number;
}

const ACCEPTED_NAMES = ['accepted', 'accepted_lines', 'acceptedLines'];
const REJECTED_NAMES = ['rejected', 'rejected_lines', 'rejectedLines'];

/**
 * Reads an upload-processor output for the file's outcome: upload-processor ends with `{status: 'processed' |
 * 'rejected', lines, accepted, rejected, …}`. Also read, at the top level or one object down: line counts named
 * `accepted_lines`/`acceptedLines` and `rejected_lines`/`rejectedLines`, and a file rejected whole as
 * `file_rejected`/`fileRejected: true` or `rejected: true`.
 */
export function uploadOutcome(output: unknown): UploadOutcome {
  const objects: Record<string, unknown>[] = [];
  if (output !== null && typeof output === 'object' && !Array.isArray(output)) {
    const top = output as Record<string, unknown>;
    objects.push(top);
    for (const value of Object.values(top)) {
      if (value !== null && typeof value === 'object' && !Array.isArray(value))
        objects.push(value as Record<string, unknown>);
    }
  }
  const numberOf = (names: string[]): number | undefined => {
    for (const o of objects) for (const n of names) if (typeof o[n] === 'number') return o[n] as number;
    return undefined;
  };
  const fileRejected = objects.some(
    (o) =>
      (typeof o.status === 'string' && o.status.toLowerCase() === 'rejected') ||
      o.file_rejected === true ||
      o.fileRejected === true ||
      o.rejected === true,
  );
  const acceptedLines = numberOf(ACCEPTED_NAMES);
  const rejectedLines = numberOf(REJECTED_NAMES);
  return {
    fileRejected,
    ...(acceptedLines !== undefined ? { acceptedLines } : {}),
    ...(rejectedLines !== undefined ? { rejectedLines } : {}),
  };
}

/** Gathers the summary of the executions started since the platform started. */
export async function summarize(
  platform: Platform,
  input: { uploads: UploadResult[]; expectedStores: readonly string[]; elapsedMs: number },
): Promise<RunSummary> {
  const executions = platform.executions();
  const uploadRuns = executions.filter((r) => r.machine === 'upload-processor');
  const files = { accepted: 0, rejected: 0, failed: 0 };
  let lines: RunSummary['lines'] = { accepted: 0, rejected: 0 };
  const dates = new Set<string>();
  for (const run of uploadRuns) {
    const key = keyOf(run);
    const m = /^uploads\/store_\d{4}_(\d{4}-\d{2}-\d{2})\.json$/.exec(key ?? '');
    if (m) dates.add(m[1] as string);
    if (run.status !== 'SUCCEEDED') {
      files.failed++;
      continue;
    }
    const outcome = uploadOutcome(parseJson(run.output));
    if (outcome.fileRejected) files.rejected++;
    else files.accepted++;
    if (lines && outcome.acceptedLines !== undefined && outcome.rejectedLines !== undefined) {
      lines.accepted += outcome.acceptedLines;
      lines.rejected += outcome.rejectedLines;
    } else if (!outcome.fileRejected) {
      lines = undefined;
    }
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
    });
  }

  const byMachine: Record<string, number> = {};
  for (const run of executions) byMachine[run.machine] = (byMachine[run.machine] ?? 0) + 1;
  const parquetDir = join(platform.stateDir, 's3', platform.bucket, 'processed');
  return {
    uploads: { total: input.uploads.length, failed: input.uploads.filter((u) => !u.ok) },
    files,
    ...(lines ? { lines } : {}),
    days,
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
  out.push(`Processed ${n(summary.uploads.total)} uploads in ${(summary.elapsedMs / 1000).toFixed(1)} s`);
  const failedUploads = summary.uploads.failed.length;
  out.push(
    `  files       ${n(summary.files.accepted)} accepted, ${n(summary.files.rejected)} rejected, ` +
      `${n(summary.files.failed)} failed${failedUploads ? `, ${n(failedUploads)} not uploaded` : ''}`,
  );
  out.push(
    summary.lines
      ? `  lines       ${n(summary.lines.accepted)} accepted, ${n(summary.lines.rejected)} rejected`
      : '  lines       (the workflow output does not report line counts)',
  );
  summary.days.forEach((day, i) => {
    const expected = day.reported.length + day.missing.length;
    const missing = day.missing.length ? `, missing ${day.missing.join(' ')}` : '';
    const claim = day.analysisClaimed ? ', analysis claimed' : '';
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
  return out.join('\n');
}

function describeFailure(run: ExecutionRecord): string {
  if (run.status !== 'FAILED') return run.status;
  const cause = parseJson(run.cause) as { errorType?: string; errorMessage?: string } | undefined;
  const detail = cause?.errorMessage ?? run.cause ?? '';
  return `${run.error ?? 'error'}${detail ? `: ${detail.replace(/\s+/g, ' ').slice(0, 200)}` : ''}`;
}

/** The S3 key an execution was started for, when its input is an S3 event. */
function keyOf(run: ExecutionRecord): string | undefined {
  const input = parseJson(run.input) as { detail?: { object?: { key?: unknown } } } | undefined;
  const key = input?.detail?.object?.key;
  return typeof key === 'string' ? key : undefined;
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
  let count = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) count += countFiles(join(dir, entry.name), suffix);
    else if (entry.name.endsWith(suffix)) count++;
  }
  return count;
}
