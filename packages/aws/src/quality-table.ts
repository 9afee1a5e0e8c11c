import {
  type DayLakeQuality,
  dayQualityKey,
  dayStatusKey,
  UPLOAD_QUALITY_PREFIX,
  type UploadQualityRecord,
  uploadQualityKey,
} from '@tillflow/core';
import { documentClient, isConditionalCheckFailed } from './clients/dynamodb';
import { type DayStatus, toDayStatus } from './sales-table';
import { queryAll } from './table-query';

/**
 * Records one upload's quality (`DAY#<date> / UPLOAD#<store>#<uploaded_at>#<etag>`). The first write wins: a retry
 * of write-metrics finds its own earlier summary and would no longer know which version it replaced, so it must not
 * overwrite the record that does. Returns false when the record was already there.
 */
export async function putUploadQuality(table: string, record: UploadQualityRecord): Promise<boolean> {
  const key = uploadQualityKey(record.store_id, record.date, record.uploaded_at, record.etag);
  try {
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    await (await documentClient()).send(
      new PutCommand({
        TableName: table,
        Item: { ...record, ...key, entity: 'UPLOAD_QUALITY' },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/**
 * Stores what the daily analysis found over the day's lake (`DAY#<date> / QUALITY`), unless a later revision of the
 * day's analysis already did (a re-analysis and the one it supersedes may overlap). Returns false when skipped.
 */
export async function putDayLakeQuality(table: string, quality: DayLakeQuality): Promise<boolean> {
  try {
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    await (await documentClient()).send(
      new PutCommand({
        TableName: table,
        Item: { ...quality, ...dayQualityKey(quality.date), entity: 'DAY_QUALITY' },
        ConditionExpression: 'attribute_not_exists(PK) OR revision <= :revision',
        ExpressionAttributeValues: { ':revision': quality.revision },
      }),
    );
    return true;
  } catch (error) {
    if (isConditionalCheckFailed(error)) return false;
    throw error;
  }
}

/** What is stored about a day's data quality: its status, every upload's record and the lake finding. */
export interface StoredDayQuality {
  status: DayStatus | undefined;
  uploads: UploadQualityRecord[];
  lake: DayLakeQuality | undefined;
}

/** The day's quality items, in one Query of the day's partition (`DAY#<date>`: STATUS, QUALITY, UPLOAD#…). */
export async function queryDayQuality(table: string, date: string): Promise<StoredDayQuality> {
  const items = await queryAll({
    TableName: table,
    KeyConditionExpression: 'PK = :pk',
    ExpressionAttributeValues: { ':pk': dayStatusKey(date).PK },
  });
  const strip = (item: Record<string, unknown>) => {
    const { PK: _pk, SK: _sk, entity: _e, ...rest } = item;
    return rest;
  };
  let status: DayStatus | undefined;
  let lake: DayLakeQuality | undefined;
  const uploads: UploadQualityRecord[] = [];
  for (const item of items) {
    const sk = String(item.SK);
    if (sk === dayStatusKey(date).SK) status = toDayStatus(date, item);
    else if (sk === dayQualityKey(date).SK) lake = strip(item) as unknown as DayLakeQuality;
    else if (sk.startsWith(UPLOAD_QUALITY_PREFIX)) uploads.push(strip(item) as unknown as UploadQualityRecord);
  }
  return { status, uploads, lake };
}
