import { queryDayQuality } from '@tillflow/aws';
import { dayQuality, NotFoundError, type QualityResponse } from '@tillflow/core';

/**
 * The day's data quality from what is stored (the day's status, the upload records write-metrics kept and the lake
 * finding of the daily analysis), in one Query; a 404 when nothing was uploaded for the day.
 */
export async function readQuality(
  table: string,
  expectedStores: readonly string[],
  date: string,
): Promise<QualityResponse> {
  const stored = await queryDayQuality(table, date);
  if (!stored.status && stored.uploads.length === 0) throw new NotFoundError(`nothing was uploaded for ${date}`);
  return dayQuality({ date, ...stored, expectedStores });
}
