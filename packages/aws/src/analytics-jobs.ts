import { analyticsCacheKey, analyticsJobKey, analyticsResultKey, NotFoundError } from '@tillflow/core';
import { documentClient, isConditionalCheckFailed } from './clients/dynamodb';
import { s3PresignClient } from './clients/s3';
import { getJson, putJson } from './s3';

/** Where a job is. A job ends SUCCEEDED or FAILED; QUEUED until the workflow's run step picks it up. */
export type AnalyticsJobStatus = 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';

/** An analytics job as `JOB#<id>` / `JOB` holds it. */
export interface AnalyticsJob {
  job_id: string;
  operation: string;
  parameters: Record<string, unknown>;
  status: AnalyticsJobStatus;
  requester: string;
  engine: string;
  created_at: string;
  updated_at: string;
  started_at?: string;
  finished_at?: string;
  /** The lake version the result was computed on (`lakeVersion`). */
  lake_version?: string;
  /** True when the result was an earlier identical request's. */
  cached?: boolean;
  row_count?: number;
  result_key?: string;
  error?: { name: string; message: string };
  /** SES's message id of the email that told the job's end (email-analytics-job), once sent. */
  email_message_id?: string;
  /** Epoch seconds after which DynamoDB's TTL may delete the record. */
  expires_at: number;
}

/** A cached result as `CACHE#<hash>` / `RESULT` holds it: where the rows are and how many. */
export interface CachedResult {
  result_key: string;
  row_count: number;
  job_id: string;
  created_at: string;
  expires_at: number;
}

/** The attribute the sales table's TTL reads (infrastructure/storage.tf): epoch seconds. */
export const TTL_ATTRIBUTE = 'expires_at';

/** Records a new job, refusing an id already used (ids are random; a clash is a bug, not a retry). */
export async function putAnalyticsJob(table: string, job: AnalyticsJob): Promise<void> {
  const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
  await (await documentClient()).send(
    new PutCommand({
      TableName: table,
      Item: { ...analyticsJobKey(job.job_id), entity: 'ANALYTICS_JOB', ...job },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

/** A job's record; a NotFoundError when there is none (or its TTL has passed). */
export async function getAnalyticsJob(table: string, jobId: string, nowSeconds: number): Promise<AnalyticsJob> {
  const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const { Item } = await (await documentClient()).send(
    new GetCommand({ TableName: table, Key: analyticsJobKey(jobId), ConsistentRead: true }),
  );
  if (!Item || (Item.expires_at as number) <= nowSeconds) throw new NotFoundError(`no analytics job ${jobId}`);
  const { PK: _pk, SK: _sk, entity: _entity, ...job } = Item;
  return job as AnalyticsJob;
}

/**
 * Moves a job to `status` with the given fields, unless it has ended: a finished job is never reopened, so a late
 * retry of the run step cannot turn a FAILED job into RUNNING, nor a duplicate failure overwrite a success. Returns
 * false when the job had ended.
 */
export async function updateAnalyticsJob(
  table: string,
  jobId: string,
  status: AnalyticsJobStatus,
  fields: Partial<Omit<AnalyticsJob, 'job_id' | 'status'>> & { updated_at: string },
): Promise<boolean> {
  const names: Record<string, string> = { '#status': 'status' };
  const values: Record<string, unknown> = { ':status': status, ':succeeded': 'SUCCEEDED', ':failed': 'FAILED' };
  const sets = ['#status = :status'];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    names[`#${name}`] = name;
    values[`:${name}`] = value;
    sets.push(`#${name} = :${name}`);
  }
  try {
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    await (await documentClient()).send(
      new UpdateCommand({
        TableName: table,
        Key: analyticsJobKey(jobId),
        UpdateExpression: `SET ${sets.join(', ')}`,
        ConditionExpression: 'attribute_exists(PK) AND #status <> :succeeded AND #status <> :failed',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/**
 * Records that the email telling an ended job's outcome went out (SES's message id), unless one is recorded already:
 * returns false then. SES has no deduplication, so the email step reads this before sending and writes it after; a
 * retry of the step after a send whose record was lost is the one case that sends twice.
 */
export async function markJobEmailed(table: string, jobId: string, messageId: string): Promise<boolean> {
  const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
  try {
    await (await documentClient()).send(
      new UpdateCommand({
        TableName: table,
        Key: analyticsJobKey(jobId),
        UpdateExpression: 'SET email_message_id = :id',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(email_message_id)',
        ExpressionAttributeValues: { ':id': messageId },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** The cached result of a request hash, unless absent or expired (DynamoDB's TTL deletes late, so readers check). */
export async function getCachedResult(
  table: string,
  hash: string,
  nowSeconds: number,
): Promise<CachedResult | undefined> {
  const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const { Item } = await (await documentClient()).send(
    new GetCommand({ TableName: table, Key: analyticsCacheKey(hash) }),
  );
  if (!Item || (Item.expires_at as number) <= nowSeconds) return undefined;
  return {
    result_key: Item.result_key as string,
    row_count: Item.row_count as number,
    job_id: Item.job_id as string,
    created_at: Item.created_at as string,
    expires_at: Item.expires_at as number,
  };
}

/** Records a result under its request hash (a later identical request's result replaces it: same figures). */
export async function putCachedResult(table: string, hash: string, entry: CachedResult): Promise<void> {
  const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
  await (await documentClient()).send(
    new PutCommand({ TableName: table, Item: { ...analyticsCacheKey(hash), entity: 'ANALYTICS_CACHE', ...entry } }),
  );
}

/** Writes a job's result (`jobs/<id>/result.json`); returns its key. */
export async function putAnalyticsResult(bucket: string, jobId: string, result: unknown): Promise<string> {
  const key = analyticsResultKey(jobId);
  await putJson(bucket, key, result);
  return key;
}

/** Reads a result written by {@link putAnalyticsResult}. */
export async function getAnalyticsResult<T>(bucket: string, key: string): Promise<T> {
  return getJson<T>(bucket, key);
}

/**
 * A presigned GET of a result under `jobs/` (a large result is a link, not a body), valid `expiresIn` seconds. Only
 * keys under `jobs/` are signed: the caller passes a key it stored itself, and this refuses anything else.
 */
export async function presignResultGet(bucket: string, key: string, expiresIn: number): Promise<string> {
  if (!/^jobs\/[A-Za-z0-9-]+\/result\.json$/.test(key)) throw new Error(`not a job result key: ${key}`);
  const [{ GetObjectCommand }, { getSignedUrl }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@aws-sdk/s3-request-presigner'),
  ]);
  return getSignedUrl(await s3PresignClient(), new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn });
}
