import type { InsightStepOutcome } from '@tillflow/aws';
import type { InsightScope, Trend, TrendDirection } from '@tillflow/insights';

/** The step's result: the key of the trends, how many, and how many go each way per scope. */
export type TrendStepResult = Extract<InsightStepOutcome, { status: 'ok' }> & {
  directions: Record<TrendDirection, number>;
  scopes: Partial<Record<InsightScope, number>>;
};

export function trendStepResult(key: string, trends: readonly Trend[]): TrendStepResult {
  const directions: Record<TrendDirection, number> = { improving: 0, declining: 0, stable: 0 };
  const scopes: Partial<Record<InsightScope, number>> = {};
  for (const t of trends) {
    directions[t.direction] += 1;
    scopes[t.scope] = (scopes[t.scope] ?? 0) + 1;
  }
  return { status: 'ok', key, count: trends.length, directions, scopes };
}
