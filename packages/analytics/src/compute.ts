import { createHash } from 'node:crypto';
import {
  getCachedResult,
  type LakeFile,
  lakeVersion,
  listLakeFiles,
  listMarketplaceFiles,
  putAnalyticsResult,
  putCachedResult,
} from '@tillflow/aws';
import type { AnalyticsRequest } from '@tillflow/core';
import type { AnalyticsEngine, QueryResult } from './engine';
import { OPERATIONS } from './operations';
import { buildQuery } from './query';
import { canonicalRequest } from './validate';

/** Where results and the cache live, and for how long a cached result is kept. */
export interface ComputeSettings {
  bucket: string;
  table: string;
  engine: AnalyticsEngine;
  /** Seconds a cached result is served (its DynamoDB TTL). */
  cacheTtlSeconds: number;
}

/** A stored result: `jobs/<id>/result.json`, as the API serves it. */
export interface StoredResult extends QueryResult {
  operation: string;
  parameters: Record<string, unknown>;
  lake_version: string;
  computed_at: string;
}

/** What {@link computeResult} did: where the result is, and whether it came from the cache. */
export interface Computed {
  resultKey: string;
  rowCount: number;
  lakeVersion: string;
  cached: boolean;
  /** The rows, when this call computed them (not when cached). */
  result?: StoredResult;
}

/**
 * The cache key of a request over the lake as it is now: a hash of the canonical request (operation, parameters with
 * defaults, stores sorted) and the lake version of its range. The engine is not part of it: both compute the same
 * figures from the same partitions.
 */
export function requestHash(request: AnalyticsRequest, version: string): string {
  return createHash('sha256').update(canonicalRequest(request)).update('\n').update(version).digest('hex').slice(0, 40);
}

/**
 * The partitions of a request's range in the table its operation reads (the sales lake, or the marketplace lake for
 * `marketplace_summary`), and the lake version they make.
 */
export async function lakeFilesOf(
  bucket: string,
  request: AnalyticsRequest,
): Promise<{ files: LakeFile[]; version: string }> {
  const files =
    request.operation === 'marketplace_summary'
      ? await listMarketplaceFiles(bucket, request.parameters)
      : await listLakeFiles(bucket, request.parameters);
  return { files, version: lakeVersion(files) };
}

/**
 * Computes a request's result as job `jobId`, or finds an identical request's: lists the range's partitions (their
 * ETags make the lake version), looks the request up in the cache, and otherwise runs the operation, stores the rows
 * under `jobs/<jobId>/` and records them in the cache with a TTL. An upload that lands in the range changes the
 * version, so a cached result is never one of a lake that has changed since.
 */
export async function computeResult(
  request: AnalyticsRequest,
  jobId: string,
  settings: ComputeSettings,
  options: { now?: Date; signal?: AbortSignal; lake?: { files: LakeFile[]; version: string } } = {},
): Promise<Computed> {
  const now = options.now ?? new Date();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const { files, version } = options.lake ?? (await lakeFilesOf(settings.bucket, request));
  const hash = requestHash(request, version);
  const cached = await getCachedResult(settings.table, hash, nowSeconds);
  if (cached) return { resultKey: cached.result_key, rowCount: cached.row_count, lakeVersion: version, cached: true };

  const query = buildQuery(request, settings.engine.dialect);
  const rows = await settings.engine.run({
    query,
    table: OPERATIONS[request.operation].table,
    columns: query.columns,
    files,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const result: StoredResult = {
    operation: request.operation,
    parameters: request.parameters,
    lake_version: version,
    computed_at: now.toISOString(),
    ...rows,
  };
  const resultKey = await putAnalyticsResult(settings.bucket, jobId, result);
  await putCachedResult(settings.table, hash, {
    result_key: resultKey,
    row_count: result.rows.length,
    job_id: jobId,
    created_at: now.toISOString(),
    expires_at: nowSeconds + settings.cacheTtlSeconds,
  });
  return { resultKey, rowCount: result.rows.length, lakeVersion: version, cached: false, result };
}
