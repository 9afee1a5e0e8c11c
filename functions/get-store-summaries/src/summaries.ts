import { type AnalysisRef, queryStoreHistory, queryStoreSummariesByDate, writeAnalysisFile } from '@tillflow/aws';
import { compareText, isCalendarDate, type StoreSummary, ValidationError } from '@tillflow/core';
import { DEFAULT_STATISTICAL_OPTIONS, type InsightFacts } from '@tillflow/insights';

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

/** Rejects an input the workflow cannot analyse: the date must be a calendar day, the revision a positive integer. */
export function checkAnalysisRef(event: AnalysisRef): void {
  if (typeof event?.date !== 'string' || !isCalendarDate(event.date)) {
    throw new ValidationError(`date must be a calendar date YYYY-MM-DD, got ${JSON.stringify(event?.date)}`);
  }
  if (!Number.isInteger(event.revision) || event.revision < 1) {
    throw new ValidationError(`revision must be a positive integer, got ${JSON.stringify(event.revision)}`);
  }
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

/** Loads the date's store summaries (GSI1) and each reporting store's history, and writes the facts document. */
export async function gatherStoreSummaries(
  table: string,
  bucket: string,
  event: AnalysisRef,
): Promise<StoreSummariesResult> {
  checkAnalysisRef(event);
  const stores = await queryStoreSummariesByDate(table, event.date);
  const history = (
    await Promise.all(stores.map((s) => queryStoreHistory(table, s.store_id, event.date, HISTORY_DAYS)))
  ).flat();
  const facts = buildFacts(event.date, stores, history);
  const factsKey = await writeAnalysisFile(bucket, event, 'facts.json', facts);
  return {
    date: event.date,
    revision: event.revision,
    factsKey,
    storeCount: facts.stores.length,
    stores: facts.stores.map((s) => s.store_id),
    historyCount: facts.storeHistory.length,
  };
}
