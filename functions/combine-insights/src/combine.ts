import { ValidationError } from '@tillflow/core';
import { DailyInsights } from '@tillflow/insights';
import { Compile } from 'typebox/compile';

const checkInsights = Compile(DailyInsights);

/** How many insights of each kind the day's item holds. */
export interface InsightCounts {
  anomalies: number;
  trends: number;
  recommendations: number;
}

/**
 * The day's insights item: checked against the DailyInsights schema (an invalid item would break every reader) and
 * with each insight once by id. Ids are derived from (date, kind, scope, subject, metric), so the same finding twice
 * is one insight, and a re-run or re-analysis writing the item again replaces it instead of adding to it. Throws a
 * ValidationError naming the first problem.
 */
export function combineInsights(insights: unknown): DailyInsights {
  if (!checkInsights.Check(insights)) {
    const first = checkInsights.Errors(insights)[0];
    throw new ValidationError(
      `the insights are not valid: ${first?.instancePath || '(root)'} ${first?.message ?? ''}`.trim(),
    );
  }
  return {
    ...insights,
    anomalies: onceById(insights.anomalies),
    trends: onceById(insights.trends),
    recommendations: onceById(insights.recommendations),
  };
}

function onceById<T extends { id: string }>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(item.id) && seen.add(item.id));
}

export function countInsights(insights: DailyInsights): InsightCounts {
  return {
    anomalies: insights.anomalies.length,
    trends: insights.trends.length,
    recommendations: insights.recommendations.length,
  };
}
