import { claimDailyAnalysis, recordStoreReported, requestReanalysis } from '@tillflow/aws';

export interface CheckStoresEvent {
  storeId: string;
  date: string;
  sourceKey: string;
  etag: string;
  /** The upload replaced figures of an earlier version of the same store-day (a corrected re-upload). */
  replaced: boolean;
  eventTime: string;
}

export interface CheckResult {
  date: string;
  storeId: string;
  /** Expected stores that have reported. */
  reported: number;
  expected: number;
  missing: string[];
  /** This call claimed the day's analysis (exactly one call does). */
  claimed: boolean;
  /** This call asked for a re-analysis of a day already analysed. */
  reanalysis: boolean;
  revision?: number;
}

export async function checkAllStores(
  event: CheckStoresEvent,
  table: string,
  expectedStores: string[],
): Promise<CheckResult> {
  const status = await recordStoreReported(table, event.date, event.storeId, event.eventTime);
  const reported = new Set(status.reported_stores);
  const missing = expectedStores.filter((s) => !reported.has(s));
  const base = {
    date: event.date,
    storeId: event.storeId,
    reported: expectedStores.length - missing.length,
    expected: expectedStores.length,
    missing,
  };
  if (status.analysis_claimed_at) {
    if (!event.replaced) return { ...base, claimed: false, reanalysis: false };
    const revision = await requestReanalysis(table, event.date, event.eventTime);
    return { ...base, claimed: false, reanalysis: true, revision };
  }
  if (missing.length > 0) return { ...base, claimed: false, reanalysis: false };
  const claimed = await claimDailyAnalysis(table, event.date, event.eventTime, event.sourceKey);
  return { ...base, claimed, reanalysis: false, ...(claimed ? { revision: 1 } : {}) };
}
