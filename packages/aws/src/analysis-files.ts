import { type AnalysisFile, analysisKey } from '@tillflow/core';
import type { DailyInsights, InsightFacts } from '@tillflow/insights';
import { getJson, putJson } from './s3';
import type { AnalysisRef, FactsRef } from './workflows';

/**
 * The daily-analysis workflow passes keys between its steps, never data sets (a state's payload is capped at 256 KB):
 * each step writes what the next ones read under `analysis/date=<date>/revision=<revision>/` (core's `analysisKey`).
 * A re-run of the same revision overwrites its own files with the same content.
 */

/** Writes one file of an analysis as JSON and returns its key. */
export async function writeAnalysisFile(
  bucket: string,
  ref: AnalysisRef,
  file: AnalysisFile,
  value: unknown,
): Promise<string> {
  const key = analysisKey(ref.date, ref.revision, file);
  await putJson(bucket, key, value);
  return key;
}

/** The day's facts document, which get-store-summaries starts and the metric steps complete. */
export function readFacts(bucket: string, ref: FactsRef): Promise<InsightFacts> {
  return getJson<InsightFacts>(bucket, ref.factsKey);
}

/** The facts and the combined insights of a day's analysis: what the report and the BI export are made of. */
export async function readFactsAndInsights(
  bucket: string,
  ref: FactsRef & { insightsKey: string },
): Promise<{ facts: InsightFacts; insights: DailyInsights }> {
  const [facts, insights] = await Promise.all([
    readFacts(bucket, ref),
    getJson<DailyInsights>(bucket, ref.insightsKey),
  ]);
  return { facts, insights };
}

/**
 * An insight branch of daily-analysis (detect-anomalies, analyze-trends): `analyse` over the day's facts, written as
 * `file` of the analysis. Returns the key and the items.
 */
export async function analyseFacts<T>(
  bucket: string,
  ref: FactsRef,
  file: AnalysisFile,
  analyse: (facts: InsightFacts) => T[],
): Promise<{ key: string; items: T[] }> {
  const items = analyse(await readFacts(bucket, ref));
  return { key: await writeAnalysisFile(bucket, ref, file, items), items };
}

/**
 * A day's series for the facts document: the figures of earlier days, oldest first, then the date's own (which
 * replace any stored figures of the date itself, since they were just computed).
 */
export function daySeries<T extends { date: string }>(history: readonly T[], today: T): T[] {
  const earlier = history.filter((d) => d.date < today.date).sort((a, b) => (a.date < b.date ? -1 : 1));
  return [...earlier, today];
}
