import {
  type AnalysisRef,
  claimDailyAnalysis,
  type DayStatus,
  getDayStatus,
  queryStoreHistory,
  queryStoreSummariesByDate,
  writeAnalysisFile,
} from '@tillflow/aws';
import { compareText, isCalendarDate, type StoreSummary, ValidationError } from '@tillflow/core';
import { DEFAULT_STATISTICAL_OPTIONS, type InsightFacts } from '@tillflow/insights';
import type { StoreSummariesEvent } from './event';

export interface StoreSummariesResult {
  date: string;
  revision: number;
  /** Where the day's facts document is (see `buildFacts`); the next steps complete it. */
  factsKey: string;
  /** Stores with figures on the date; 0 means the day has no data. */
  storeCount: number;
  stores: string[];
  /** Earlier store-days loaded as history. */
  historyCount: number;
}

/** Trailing days of history loaded for each store: what the anomaly detection uses. */
export const HISTORY_DAYS = DEFAULT_STATISTICAL_OPTIONS.historyDays;

/** Who a claim made by a manual start of an unclaimed day is recorded as (`analysis_claimed_by`). */
export const MANUAL_CLAIMANT = 'manual-start';

/**
 * Rejects an input the workflow cannot analyse: the date must be a calendar day, the revision, when given, a positive
 * integer.
 */
export function checkAnalysisRef(event: StoreSummariesEvent): void {
  if (typeof event?.date !== 'string' || !isCalendarDate(event.date)) {
    throw new ValidationError(`date must be a calendar date YYYY-MM-DD, got ${JSON.stringify(event?.date)}`);
  }
  if (event.revision !== undefined && (!Number.isInteger(event.revision) || event.revision < 1)) {
    throw new ValidationError(`revision must be a positive integer, got ${JSON.stringify(event.revision)}`);
  }
}

/**
 * Which revision of the day to analyse (see `resolveRevision`):
 * - `given`: the starter named it (check-all-stores, trigger-daily-analysis, an operator);
 * - `current`: none named and the day is claimed: its current revision, `analysis_revision` of the day status;
 * - `claim`: none named, the day is not claimed but has figures: claim it as revision 1, as the cut-off would, so
 *   that a store reporting later asks for a re-analysis (revision 2) instead of running a revision 1 that is already
 *   published (trigger-daily-analysis's `dayAction`, check-all-stores' `decideAnalysis`);
 * - `unclaimed`: none named, no claim and no figures: revision 1, which takes the no-data path;
 * - `ahead`: the named revision is later than the day's current one. Refused: publishing it would mark a revision as
 *   published that no upload has asked for yet, and the real one would then be skipped as already published.
 */
export type RevisionResolution =
  | { kind: 'given'; revision: number }
  | { kind: 'current'; revision: number }
  | { kind: 'claim' }
  | { kind: 'unclaimed' }
  | { kind: 'ahead'; requested: number; current: number };

/** The resolution, from the requested revision, the day's status (undefined: no item) and whether it has figures. */
export function resolveRevision(
  requested: number | undefined,
  status: DayStatus | undefined,
  hasFigures: boolean,
): RevisionResolution {
  const current = status?.analysis_claimed_at ? (status.analysis_revision ?? 1) : 1;
  if (requested !== undefined) {
    return requested > current ? { kind: 'ahead', requested, current } : { kind: 'given', revision: requested };
  }
  if (status?.analysis_claimed_at) return { kind: 'current', revision: current };
  return hasFigures ? { kind: 'claim' } : { kind: 'unclaimed' };
}

/**
 * The facts document of a day as this step starts it: the stores' figures of the date and their history, ordered by
 * store and date so that the same table gives the same bytes. `company` and `products` are filled by the next steps.
 * Only stores that reported on the date get history: the others have no figure to compare.
 */
export function buildFacts(
  date: string,
  stores: readonly StoreSummary[],
  history: readonly StoreSummary[],
): InsightFacts {
  const byStore = (a: StoreSummary, b: StoreSummary) =>
    compareText(a.store_id, b.store_id) || compareText(a.date, b.date);
  return {
    date,
    stores: [...stores].sort(byStore),
    storeHistory: history.filter((h) => h.date < date).sort(byStore),
    company: [],
    products: [],
  };
}

/**
 * The revision this run analyses: the given one, checked against the day's status, or the day's current one (see
 * `RevisionResolution`). An unclaimed day with figures is claimed here with the same conditional write as the cut-off;
 * losing that race means another starter claimed it a moment ago, and its revision is read back.
 */
async function analysisRevision(table: string, event: StoreSummariesEvent, hasFigures: boolean): Promise<number> {
  const resolution = resolveRevision(event.revision, await getDayStatus(table, event.date), hasFigures);
  switch (resolution.kind) {
    case 'given':
    case 'current':
      return resolution.revision;
    case 'unclaimed':
      return 1;
    case 'ahead':
      throw new ValidationError(
        `revision ${resolution.requested} of ${event.date} is ahead of the day's current revision ${resolution.current}`,
      );
    case 'claim': {
      if (await claimDailyAnalysis(table, event.date, new Date().toISOString(), MANUAL_CLAIMANT)) return 1;
      return (await getDayStatus(table, event.date))?.analysis_revision ?? 1;
    }
  }
}

/**
 * Loads the date's store summaries (GSI1) and each reporting store's history, resolves the revision (the event's, or
 * the day's current one when the event names none) and writes the facts document.
 */
export async function gatherStoreSummaries(
  table: string,
  bucket: string,
  event: StoreSummariesEvent,
): Promise<StoreSummariesResult> {
  checkAnalysisRef(event);
  const stores = await queryStoreSummariesByDate(table, event.date);
  const ref: AnalysisRef = { date: event.date, revision: await analysisRevision(table, event, stores.length > 0) };
  const history = (
    await Promise.all(stores.map((s) => queryStoreHistory(table, s.store_id, event.date, HISTORY_DAYS)))
  ).flat();
  const facts = buildFacts(event.date, stores, history);
  const factsKey = await writeAnalysisFile(bucket, ref, 'facts.json', facts);
  return {
    date: ref.date,
    revision: ref.revision,
    factsKey,
    storeCount: facts.stores.length,
    stores: facts.stores.map((s) => s.store_id),
    historyCount: facts.storeHistory.length,
  };
}
