import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { ExecutionRecord } from '../servers/step-functions';
import { toEventBridge } from './s3-events';

/** What reconciliation reads and starts. */
export interface ReconcileInput {
  s3: S3Client;
  documents: DynamoDBDocumentClient;
  bucket: string;
  salesTable: string;
  idempotencyTable: string;
  /** Every execution the platform knows, of this run and of earlier ones. */
  executions(): ExecutionRecord[];
  /** Starts an execution of a state machine by file name; a name already taken throws. */
  start(machine: string, input: unknown, name?: string): void;
  /** A new S3 event sequencer (see `Sequencer`). */
  sequencer(): string;
}

/** What a start's reconciliation found and did. */
export interface Reconciled {
  /** Idempotency records left `INPROGRESS` by invocations that died with the earlier run. */
  releasedInvocations: number;
  /** Uploads started again: objects under `uploads/` with no successful upload-processor execution. */
  uploads: string[];
  /** Days analysed again: claimed, with no successful daily-analysis execution of their revision. */
  days: string[];
}

/**
 * Repairs what an interrupted run left (a Ctrl-C whose drain timed out, `kill -9`, a crash), so that no upload is
 * lost: the local counterpart of EventBridge's retries and a dead-letter queue's redrive in AWS.
 *
 * 1. Idempotency records still `INPROGRESS`: their invocation died with the earlier run (this process holds the state
 *    folder, so none of them can still be running). In Lambda the record would expire with the invocation's
 *    remaining time; here it is released at once so that the work below is not refused as a duplicate in progress.
 * 2. Every object under `uploads/` whose key and ETag have no SUCCEEDED upload-processor execution is processed again,
 *    with the event S3 would have sent. Each step is idempotent per key and ETag, so a step that had completed before
 *    the interruption returns its stored result and nothing is counted twice.
 * 3. Every day whose analysis was claimed (all stores reported, or a re-analysis requested) with no SUCCEEDED
 *    daily-analysis execution for its current revision is analysed again, under the claim's execution name when it is
 *    free, else `<name>-redrive<k>` (AWS keeps execution names for 90 days).
 */
export async function reconcile(input: ReconcileInput): Promise<Reconciled> {
  const releasedInvocations = await releaseInterruptedInvocations(input);
  const executions = input.executions();
  const uploads = await reprocessUploads(input, executions);
  const days = await reanalyseDays(input, executions);
  return { releasedInvocations, uploads, days };
}

async function releaseInterruptedInvocations(input: ReconcileInput): Promise<number> {
  let released = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await input.documents.send(
      new ScanCommand({
        TableName: input.idempotencyTable,
        FilterExpression: '#status = :inProgress',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':inProgress': 'INPROGRESS' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      await input.documents.send(
        new DeleteCommand({
          TableName: input.idempotencyTable,
          Key: { id: item.id },
          ConditionExpression: '#status = :inProgress',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':inProgress': 'INPROGRESS' },
        }),
      );
      released++;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return released;
}

async function reprocessUploads(input: ReconcileInput, executions: ExecutionRecord[]): Promise<string[]> {
  const done = new Set<string>();
  for (const record of executions) {
    if (record.machine !== 'upload-processor' || record.status !== 'SUCCEEDED') continue;
    const object = parseInput<{ detail?: { object?: { key?: string; etag?: string } } }>(record).detail?.object;
    if (object?.key && object.etag) done.add(`${object.key}\0${object.etag}`);
  }
  const started: string[] = [];
  let token: string | undefined;
  do {
    const page = await input.s3.send(
      new ListObjectsV2Command({
        Bucket: input.bucket,
        Prefix: 'uploads/',
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const object of page.Contents ?? []) {
      const key = object.Key as string;
      const etag = (object.ETag ?? '').replaceAll('"', '');
      if (done.has(`${key}\0${etag}`)) continue;
      const created = {
        eventName: 'ObjectCreated:Put',
        bucket: input.bucket,
        key,
        size: object.Size ?? 0,
        etag,
        requestId: 'reconciliation',
        sourceIp: '127.0.0.1',
        time: (object.LastModified ?? new Date()).toISOString(),
      };
      input.start('upload-processor', toEventBridge(created, input.sequencer()));
      started.push(key);
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return started;
}

interface DayStatusItem {
  PK: string;
  analysis_claimed_at?: string;
  analysis_revision?: number;
}

async function reanalyseDays(input: ReconcileInput, executions: ExecutionRecord[]): Promise<string[]> {
  const analyses = executions.filter((r) => r.machine === 'daily-analysis');
  const started: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    // A scan of the day-status items: the platform's own bookkeeping at start, never a handler's query.
    const page = await input.documents.send(
      new ScanCommand({
        TableName: input.salesTable,
        FilterExpression: 'begins_with(PK, :day) AND SK = :status',
        ExpressionAttributeValues: { ':day': 'DAY#', ':status': 'STATUS' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of (page.Items ?? []) as DayStatusItem[]) {
      if (!item.analysis_claimed_at) continue;
      const date = item.PK.slice('DAY#'.length);
      const revision = item.analysis_revision ?? 1;
      const ofRevision = analyses.filter((r) => {
        const i = parseInput<{ date?: string; revision?: number }>(r);
        return i.date === date && (i.revision ?? revision) === revision;
      });
      if (ofRevision.some((r) => r.status === 'SUCCEEDED' || r.status === 'RUNNING')) continue;
      const base = `${date}-r${revision}`;
      const taken = new Set(analyses.map((r) => r.name));
      let name = base;
      for (let k = 1; taken.has(name); k++) name = `${base}-redrive${k}`;
      const earlier = ofRevision.at(-1);
      const reason = revision === 1 ? 'all-stores-reported' : 'reanalysis';
      input.start('daily-analysis', earlier ? parseInput(earlier) : { date, revision, reason }, name);
      started.push(date);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return started;
}

function parseInput<T>(record: ExecutionRecord): T {
  try {
    return JSON.parse(record.input) as T;
  } catch {
    return {} as T;
  }
}
