import { randomUUID } from 'node:crypto';
import {
  type AnalyticsJob,
  causeMessage,
  getAnalyticsJob,
  getAnalyticsResult,
  getCachedResult,
  type LakeFile,
  presignResultGet,
  putAnalyticsJob,
  startExecution,
  updateAnalyticsJob,
} from '@tillflow/aws';
import type { AnalyticsRequest } from '@tillflow/core';
import { ValidationError } from '@tillflow/core';
import { type Computed, type ComputeSettings, computeResult, requestHash, type StoredResult } from './compute';
import type { QueryResult } from './engine';
import { validateRequest } from './validate';

/** Results of at most this many rows are answered inline; larger ones as a presigned link to `jobs/<id>/`. */
export const INLINE_ROWS = 1000;

/** How long a job's record is kept (its DynamoDB TTL): 30 days. */
export const JOB_RETENTION_SECONDS = 30 * 24 * 3600;

/** A job id: a UUID, which is also the execution's name. */
export const JOB_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A new job's record, QUEUED, for `request` asked by `requester`. */
export function newJob(request: AnalyticsRequest, requester: string, engine: string, now: Date): AnalyticsJob {
  return {
    job_id: randomUUID(),
    operation: request.operation,
    parameters: request.parameters,
    status: 'QUEUED',
    requester,
    engine,
    created_at: now.toISOString(),
    updated_at: now.toISOString(),
    expires_at: Math.floor(now.getTime() / 1000) + JOB_RETENTION_SECONDS,
  };
}

/**
 * Records a job and starts the analytics-job workflow for it, named by the job id (a repeated start is a no-op). If
 * the start fails, the job is marked FAILED with the reason before the error goes on: no job is left QUEUED with
 * nothing to run it.
 */
export async function submitJob(table: string, stateMachineArn: string, job: AnalyticsJob): Promise<AnalyticsJob> {
  await putAnalyticsJob(table, job);
  await startQueued(table, stateMachineArn, job);
  return job;
}

/** Starts the workflow of a job already recorded (QUEUED). */
export async function startQueued(table: string, stateMachineArn: string, job: AnalyticsJob): Promise<void> {
  try {
    await startExecution(stateMachineArn, job.job_id, { jobId: job.job_id });
  } catch (error) {
    const at = new Date().toISOString();
    await updateAnalyticsJob(table, job.job_id, 'FAILED', {
      updated_at: at,
      finished_at: at,
      error: { name: (error as Error).name, message: `the workflow could not be started: ${(error as Error).message}` },
    });
    throw error;
  }
}

/** What the run step returns to the workflow: small, the rows stay in S3. */
export interface JobOutcome {
  jobId: string;
  status: 'SUCCEEDED';
  operation: string;
  rowCount: number;
  cached: boolean;
  resultKey: string;
}

/**
 * The workflow's run step: the job's request validated again (the record is data, not trust), the job RUNNING, the
 * result computed or found in the cache, the job SUCCEEDED with where its rows are. A failure throws; the workflow's
 * Catch then records FAILED ({@link failJob}).
 */
export async function runJob(jobId: string, settings: ComputeSettings, now = new Date()): Promise<JobOutcome> {
  const job = await getAnalyticsJob(settings.table, jobId, Math.floor(now.getTime() / 1000));
  if (job.status === 'SUCCEEDED' && job.result_key) {
    return outcome(job, { resultKey: job.result_key, rowCount: job.row_count ?? 0, cached: job.cached ?? false });
  }
  if (job.status === 'FAILED') throw new ValidationError(`job ${jobId} has failed already: ${job.error?.message}`);
  const request = validateRequest(job.operation, job.parameters);
  await updateAnalyticsJob(settings.table, jobId, 'RUNNING', {
    updated_at: now.toISOString(),
    started_at: now.toISOString(),
  });
  const computed = await computeResult(request, jobId, settings, { now });
  await completeJob(settings.table, jobId, computed);
  return outcome(job, computed);
}

function outcome(job: AnalyticsJob, computed: Pick<Computed, 'resultKey' | 'rowCount' | 'cached'>): JobOutcome {
  return {
    jobId: job.job_id,
    status: 'SUCCEEDED',
    operation: job.operation,
    rowCount: computed.rowCount,
    cached: computed.cached,
    resultKey: computed.resultKey,
  };
}

/** Marks a job SUCCEEDED with its result's key, size and lake version. */
export async function completeJob(table: string, jobId: string, computed: Computed): Promise<void> {
  const at = new Date().toISOString();
  await updateAnalyticsJob(table, jobId, 'SUCCEEDED', {
    updated_at: at,
    finished_at: at,
    result_key: computed.resultKey,
    row_count: computed.rowCount,
    cached: computed.cached,
    lake_version: computed.lakeVersion,
  });
}

/**
 * The workflow's Catch step: the job FAILED with the error's name and message (from Step Functions' `{Error, Cause}`).
 * A job that has already ended is left as it is.
 */
export async function failJob(
  table: string,
  jobId: string,
  failure: { Error?: string | undefined; Cause?: string | undefined },
): Promise<{ jobId: string; status: 'FAILED'; error: string; reason: string; recorded: boolean }> {
  const at = new Date().toISOString();
  const error = failure.Error ?? 'UnknownError';
  const reason = causeMessage(failure.Cause);
  const recorded = await updateAnalyticsJob(table, jobId, 'FAILED', {
    updated_at: at,
    finished_at: at,
    error: { name: error, message: reason },
  });
  return { jobId, status: 'FAILED', error, reason, recorded };
}

/** A job as `GET /analytics/jobs/{id}` answers it. */
export interface JobView {
  job_id: string;
  operation: string;
  parameters: Record<string, unknown>;
  status: AnalyticsJob['status'];
  requester: string;
  engine: string;
  created_at: string;
  started_at?: string;
  finished_at?: string;
  cached?: boolean;
  lake_version?: string;
  row_count?: number;
  /** The rows, when the job succeeded with at most {@link INLINE_ROWS} of them. */
  result?: QueryResult;
  /** A presigned GET of `jobs/<id>/result.json`, when there are more. */
  result_url?: string;
  result_url_expires_in?: number;
  error?: { name: string; message: string };
}

/** A job's view: its record, and its result inline or as a link once it has succeeded. */
export async function viewJob(bucket: string, job: AnalyticsJob, linkSeconds: number): Promise<JobView> {
  const view: JobView = {
    job_id: job.job_id,
    operation: job.operation,
    parameters: job.parameters,
    status: job.status,
    requester: job.requester,
    engine: job.engine,
    created_at: job.created_at,
    ...(job.started_at ? { started_at: job.started_at } : {}),
    ...(job.finished_at ? { finished_at: job.finished_at } : {}),
    ...(job.cached !== undefined ? { cached: job.cached } : {}),
    ...(job.lake_version ? { lake_version: job.lake_version } : {}),
    ...(job.row_count !== undefined ? { row_count: job.row_count } : {}),
    ...(job.error ? { error: job.error } : {}),
  };
  if (job.status !== 'SUCCEEDED' || !job.result_key) return view;
  if ((job.row_count ?? 0) <= INLINE_ROWS) {
    const stored = await getAnalyticsResult<StoredResult>(bucket, job.result_key);
    return { ...view, result: { columns: stored.columns, rows: stored.rows } };
  }
  const url = await presignResultGet(bucket, job.result_key, linkSeconds);
  return { ...view, result_url: url, result_url_expires_in: linkSeconds };
}

/** What the synchronous query did: answered within its budget, or handed the request to a job. */
export type QueryOutcome = { kind: 'answered'; view: JobView } | { kind: 'queued'; job: AnalyticsJob };

/** What `GET /analytics/query` needs: where jobs and results live, the workflow, and its limits. */
export interface QuerySettings {
  bucket: string;
  table: string;
  stateMachineArn: string;
  /** How long the query waits for the job before it answers 202. */
  budgetMs: number;
  /** Partitions larger than this in total are handed to the job without waiting. */
  maxBytes: number;
  linkSeconds: number;
}

/**
 * `GET /analytics/query`: the request is answered from the cache when an identical request on the same lake version
 * has a result (the job recorded SUCCEEDED at once, `cached`); otherwise it becomes a job of the analytics-job
 * workflow, which computes it (DuckDB lives in run-analytics-job only, so this function stays a small API bundle),
 * and the query waits for the job to end within `budgetMs`. An ended job (SUCCEEDED, or FAILED with its reason) is
 * answered; one still running, or one whose partitions exceed `maxBytes`, is `queued` and the caller polls it.
 */
export async function queryOrQueue(
  request: AnalyticsRequest,
  job: AnalyticsJob,
  settings: QuerySettings,
  lake: { files: LakeFile[]; version: string },
  now = new Date(),
): Promise<QueryOutcome> {
  const deadline = Date.now() + settings.budgetMs;
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const cached = await getCachedResult(settings.table, requestHash(request, lake.version), nowSeconds);
  if (cached) {
    const done: AnalyticsJob = {
      ...job,
      status: 'SUCCEEDED',
      started_at: job.created_at,
      finished_at: now.toISOString(),
      result_key: cached.result_key,
      row_count: cached.row_count,
      cached: true,
      lake_version: lake.version,
    };
    await putAnalyticsJob(settings.table, done);
    return { kind: 'answered', view: await viewJob(settings.bucket, done, settings.linkSeconds) };
  }
  await submitJob(settings.table, settings.stateMachineArn, job);
  const bytes = lake.files.reduce((sum, f) => sum + f.size, 0);
  if (bytes > settings.maxBytes) return { kind: 'queued', job };
  const ended = await waitForEnd(settings.table, job.job_id, deadline);
  if (!ended) return { kind: 'queued', job };
  return { kind: 'answered', view: await viewJob(settings.bucket, ended, settings.linkSeconds) };
}

/** The first poll of a job's record, then each next one this much later (to a cap): short jobs answer soon. */
const POLL_FIRST_MS = 50;
const POLL_MAX_MS = 250;

/** Reads the job's record until it has ended or `deadline` (epoch ms) passes; undefined when it has not ended. */
async function waitForEnd(table: string, jobId: string, deadline: number): Promise<AnalyticsJob | undefined> {
  let pause = POLL_FIRST_MS;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return undefined;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, left)));
    const record = await getAnalyticsJob(table, jobId, Math.floor(Date.now() / 1000));
    if (record.status === 'SUCCEEDED' || record.status === 'FAILED') return record;
    pause = Math.min(pause * 2, POLL_MAX_MS);
  }
}
