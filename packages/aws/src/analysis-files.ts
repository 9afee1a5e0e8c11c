import { putJson } from './s3';
import type { AnalysisRef } from './workflows';

/**
 * The daily-analysis workflow passes keys between its steps, never data sets (a state's payload is capped at 256 KB):
 * each step writes what the next ones read under `analysis/date=<date>/revision=<revision>/`. A revision has its own
 * folder so that a re-analysis running beside the analysis it supersedes never reads the other's files; a re-run of
 * the same revision overwrites its own files with the same content.
 */

/** The files of one revision of a day's analysis. */
export type AnalysisFile = 'facts.json' | 'anomalies.json' | 'trends.json' | 'insights.json';

/** `analysis/date=<date>/revision=<revision>/<file>`. */
export function analysisKey(date: string, revision: number, file: AnalysisFile): string {
  return `analysis/date=${date}/revision=${revision}/${file}`;
}

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

/**
 * A day's series for the facts document: the figures of earlier days, oldest first, then the date's own (which
 * replace any stored figures of the date itself, since they were just computed).
 */
export function daySeries<T extends { date: string }>(history: readonly T[], today: T): T[] {
  const earlier = history.filter((d) => d.date < today.date).sort((a, b) => (a.date < b.date ? -1 : 1));
  return [...earlier, today];
}
