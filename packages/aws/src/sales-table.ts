import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import { dateSortKey, dayStatusKey, type StoreSummary, storeSummaryKey } from '@tillflow/core';
import { documentClient, isConditionalCheckFailed } from './clients/dynamodb';
import { queryAll, queryDaysBefore } from './table-query';

/**
 * S3 event sequencers order the writes of one key. They are hexadecimal strings of varying length; left-padded to a
 * fixed width they compare as strings.
 */
function normalizeSequencer(sequencer: string): string {
  return sequencer.padStart(32, '0');
}

export interface SummaryWrite {
  /** True when this upload replaced figures of another version of the same store-day. */
  replaced: boolean;
  /** True when a newer version of the file had already been written, so this one was not. */
  stale: boolean;
  /** The version this upload replaced, when it replaced one: its ETag and upload time (`updated_at`). */
  previous?: { etag: string; uploaded_at: string };
}

/**
 * Writes a store-day summary. A newer version of the same file always wins: the write is conditional on the stored
 * sequencer being older, so an old event delivered late cannot overwrite corrected figures.
 */
export async function putStoreSummary(table: string, summary: StoreSummary, sequencer: string): Promise<SummaryWrite> {
  const key = storeSummaryKey({ storeId: summary.store_id, date: summary.date });
  try {
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const out = await (await documentClient()).send(
      new PutCommand({
        TableName: table,
        Item: { ...key, entity: 'STORE_SUMMARY', ...summary, source_sequencer: normalizeSequencer(sequencer) },
        ConditionExpression: 'attribute_not_exists(PK) OR source_sequencer <= :seq',
        ExpressionAttributeValues: { ':seq': normalizeSequencer(sequencer) },
        ReturnValues: 'ALL_OLD',
      }),
    );
    const old = out.Attributes as Partial<StoreSummary> | undefined;
    if (!old?.source_etag || old.source_etag === summary.source_etag) return { replaced: false, stale: false };
    return { replaced: true, stale: false, previous: { etag: old.source_etag, uploaded_at: String(old.updated_at) } };
  } catch (error) {
    if (isConditionalCheckFailed(error)) return { replaced: false, stale: true };
    throw error;
  }
}

/** Every store summary of a business date (GSI1: `DATE#<date>` / `STORE#<id>`), ordered by store id. */
export async function queryStoreSummariesByDate(table: string, date: string): Promise<StoreSummary[]> {
  const items = await queryAll({
    TableName: table,
    IndexName: 'GSI1',
    KeyConditionExpression: 'GSI1PK = :date AND begins_with(GSI1SK, :store)',
    ExpressionAttributeValues: { ':date': dateSortKey(date), ':store': 'STORE#' },
  });
  return items.map(toStoreSummary);
}

/**
 * A store's summaries of the `days` days before `date` (not `date` itself), oldest first: the history its figures of
 * `date` are compared with.
 */
export async function queryStoreHistory(
  table: string,
  storeId: string,
  date: string,
  days: number,
): Promise<StoreSummary[]> {
  const items = await queryDaysBefore(table, storeSummaryKey({ storeId, date }).PK, date, days);
  return items.map(toStoreSummary);
}

function toStoreSummary(item: Record<string, unknown>): StoreSummary {
  const { PK: _pk, SK: _sk, GSI1PK: _g1, GSI1SK: _g2, entity: _e, source_sequencer: _s, ...summary } = item;
  return summary as StoreSummary;
}

/** The day's status item: which stores have reported and the state of the day's analysis. */
export interface DayStatus {
  date: string;
  reported_stores: string[];
  analysis_claimed_at?: string;
  /** Who claimed the analysis: an upload (`<key>#<etag>`) or the scheduled trigger. */
  analysis_claimed_by?: string;
  analysis_revision?: number;
  reanalysis_requested_at?: string;
  /** Who asked for the latest re-analysis (`<key>#<etag>` of the upload). */
  reanalysis_requested_by?: string;
}

/** The day's status of a stored item (its string set as a sorted list); also read by queryDayQuality. */
export function toDayStatus(date: string, item: Record<string, unknown> | undefined): DayStatus {
  const reported = item?.reported_stores;
  const text = (name: keyof DayStatus) => (typeof item?.[name] === 'string' ? { [name]: item[name] as string } : {});
  return {
    date,
    reported_stores: reported instanceof Set ? [...reported].map(String).sort() : [],
    ...text('analysis_claimed_at'),
    ...text('analysis_claimed_by'),
    ...(typeof item?.analysis_revision === 'number' ? { analysis_revision: item.analysis_revision } : {}),
    ...text('reanalysis_requested_at'),
    ...text('reanalysis_requested_by'),
  };
}

/** Sends an update of the day's status item: the one item every claim, report and re-analysis request changes. */
async function updateDayStatus(
  table: string,
  date: string,
  update: Omit<UpdateCommandInput, 'TableName' | 'Key'>,
): Promise<Record<string, unknown> | undefined> {
  const [{ UpdateCommand }, documents] = await Promise.all([import('@aws-sdk/lib-dynamodb'), documentClient()]);
  const out = await documents.send(new UpdateCommand({ TableName: table, Key: dayStatusKey(date), ...update }));
  return out.Attributes;
}

export interface StoreReported {
  /** The day's status after the store was recorded. */
  status: DayStatus;
  /** True when the store had not reported for the date before (false for a re-upload or a retry). */
  firstReport: boolean;
}

/** Adds the store to the day's reported set (a set: recording twice counts once) and returns the day's status. */
export async function recordStoreReported(
  table: string,
  date: string,
  storeId: string,
  at: string,
): Promise<StoreReported> {
  // The item as it was, so that the caller learns whether this store is new for the day; the update touches only the
  // reported set and bookkeeping, so the new status is the old one plus this store.
  const old = await updateDayStatus(table, date, {
    UpdateExpression: 'ADD reported_stores :store SET #date = :date, entity = :entity, updated_at = :at',
    ExpressionAttributeNames: { '#date': 'date' },
    ExpressionAttributeValues: { ':store': new Set([storeId]), ':date': date, ':entity': 'DAY_STATUS', ':at': at },
    ReturnValues: 'ALL_OLD',
  });
  const before = toDayStatus(date, old);
  const firstReport = !before.reported_stores.includes(storeId);
  const reported = firstReport ? [...before.reported_stores, storeId].sort() : before.reported_stores;
  return { status: { ...before, reported_stores: reported }, firstReport };
}

export async function getDayStatus(table: string, date: string): Promise<DayStatus | undefined> {
  const { GetCommand } = await import('@aws-sdk/lib-dynamodb');
  const out = await (await documentClient()).send(new GetCommand({ TableName: table, Key: dayStatusKey(date) }));
  return out.Item ? toDayStatus(date, out.Item) : undefined;
}

/**
 * Claims the day's analysis. The conditional write succeeds for exactly one caller however many uploads race, so the
 * analysis starts once. Returns false when the day was already claimed.
 */
export async function claimDailyAnalysis(table: string, date: string, at: string, by: string): Promise<boolean> {
  try {
    await updateDayStatus(table, date, {
      UpdateExpression: 'SET analysis_claimed_at = :at, analysis_claimed_by = :by, analysis_revision = :one',
      ConditionExpression: 'attribute_not_exists(analysis_claimed_at)',
      ExpressionAttributeValues: { ':at': at, ':by': by, ':one': 1 },
    });
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/**
 * Marks an already-claimed day for re-analysis (a corrected upload, or a store reporting after the analysis) and
 * returns the new revision, which makes the re-analysis's execution name distinct from the earlier ones. `by` is
 * recorded so that a retry of the same upload can find the revision it asked for instead of asking again.
 */
export async function requestReanalysis(table: string, date: string, at: string, by: string): Promise<number> {
  const updated = await updateDayStatus(table, date, {
    UpdateExpression: 'SET reanalysis_requested_at = :at, reanalysis_requested_by = :by ADD analysis_revision :one',
    ConditionExpression: 'attribute_exists(analysis_claimed_at)',
    ExpressionAttributeValues: { ':at': at, ':by': by, ':one': 1 },
    ReturnValues: 'ALL_NEW',
  });
  return Number(updated?.analysis_revision ?? 1);
}
