import { daySeries, type FactsRef, putCompanyMetrics, putJson, queryCompanyHistory, readFacts } from '@tillflow/aws';
import { type CompanyDayFigures, summarizeCompany } from '@tillflow/core';
import type { InsightFacts } from '@tillflow/insights';

/** Days of company figures before the date that the trends compare (two weeks, the date included). */
export const COMPANY_HISTORY_DAYS = 13;

export interface CompanyMetricsResult {
  factsKey: string;
  net_sales: number;
  stores_reported: number;
  stores_expected: number;
  missing_stores: string[];
  /** False when a later revision of the day's analysis had already written its company figures. */
  written: boolean;
  /** Earlier days with company figures, for the trends. */
  historyCount: number;
}

/**
 * The company figures of the facts' date from its stores' figures (sums, best and worst store, stores reported
 * against `expectedStores`, payment mix), and the facts document with its company series: the stored figures of
 * earlier days (days never analysed are absent, and the trends skip them), then the date's own.
 */
export function companyFacts(
  facts: InsightFacts,
  expectedStores: readonly string[],
  history: readonly CompanyDayFigures[],
): { today: CompanyDayFigures; facts: InsightFacts } {
  const today = summarizeCompany(facts.date, facts.stores, expectedStores);
  return { today, facts: { ...facts, company: daySeries(history, today) } };
}

/** Computes and stores the company figures (`COMPANY` / `DATE#<date>`) and adds them to the facts document. */
export async function calcCompanyMetrics(
  table: string,
  bucket: string,
  expectedStores: readonly string[],
  event: FactsRef,
): Promise<CompanyMetricsResult> {
  const [facts, history] = await Promise.all([
    readFacts(bucket, event),
    queryCompanyHistory(table, event.date, COMPANY_HISTORY_DAYS),
  ]);
  const company = companyFacts(facts, expectedStores, history);
  const [written] = await Promise.all([
    putCompanyMetrics(table, company.today, event.revision),
    putJson(bucket, event.factsKey, company.facts),
  ]);
  const { today } = company;
  return {
    factsKey: event.factsKey,
    net_sales: today.net_sales,
    stores_reported: today.stores_reported,
    stores_expected: today.stores_expected,
    missing_stores: today.missing_stores,
    written,
    historyCount: history.length,
  };
}
