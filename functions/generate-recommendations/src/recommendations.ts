import {
  causeMessage,
  type FactsRef,
  getJson,
  type InsightStepOutcome,
  readFacts,
  writeAnalysisFile,
} from '@tillflow/aws';
import {
  type Anomaly,
  analyzeTrends,
  type DailyInsights,
  detectAnomalies,
  type InsightsProvider,
  type Trend,
} from '@tillflow/insights';
import type { RecommendationsEvent } from './event';

export interface RecommendationsResult {
  insightsKey: string;
  provider: DailyInsights['provider'];
  model: string | null;
  degraded: boolean;
  /** The partial-failure notice to publish when degraded, else null. */
  notice: string | null;
  anomalies: number;
  trends: number;
  recommendations: number;
}

/** A branch's items, and why they are not the branch's own when it failed. */
export interface BranchItems<T> {
  items: T[];
  reason?: string;
}

/**
 * The items of an insight branch: read from its result when it succeeded; when it failed, recomputed here by the
 * statistical engine (the branch's own method, so the day still gets them), or none if that fails too. Either way
 * the failure is kept as a reason, so that the day is reported as a partial failure and never silently.
 */
export async function branchItems<T>(
  step: string,
  outcome: InsightStepOutcome,
  read: (key: string) => Promise<T[]>,
  recompute: () => T[],
): Promise<BranchItems<T>> {
  if (outcome.status === 'ok') return { items: await read(outcome.key) };
  const failure = `${step} failed (${outcome.error}: ${causeMessage(outcome.cause)})`;
  try {
    return { items: recompute(), reason: `${failure}; recomputed by the statistical engine` };
  } catch (error) {
    const e = error as Error;
    return { items: [], reason: `${failure}; recomputing failed too (${e.name}: ${e.message}), so none are reported` };
  }
}

/** The insights with the branch failures added: any of them makes the day degraded. */
export function withBranchFailures(insights: DailyInsights, reasons: readonly (string | undefined)[]): DailyInsights {
  const failures = reasons.filter((r): r is string => r !== undefined);
  if (failures.length === 0) return insights;
  return { ...insights, degraded: true, reasons: [...failures, ...insights.reasons] };
}

/** The text of the partial-failure alert: what ran degraded and why, so that nobody mistakes it for a full analysis. */
export function partialFailureNotice(revision: number, insights: DailyInsights): string {
  return [
    `The daily analysis of ${insights.date} (revision ${revision}) completed with a partial failure.`,
    `Its insights come from the fallback: provider ${insights.provider}${insights.model ? ` (${insights.model})` : ''}.`,
    `Anomalies: ${insights.anomalies.length}, trends: ${insights.trends.length}, recommendations: ${insights.recommendations.length}.`,
    'Reasons:',
    ...insights.reasons.map((r) => `- ${r}`),
  ].join('\n');
}

/**
 * The day's insights: the branches' anomalies and trends (or their statistical fallback), recommendations from the
 * provider (statistical rules, or a Bedrock model grounded on them that falls back by itself), written as the day's
 * insights file under `analysis/`.
 */
export async function generateRecommendations(
  bucket: string,
  provider: InsightsProvider,
  event: RecommendationsEvent,
): Promise<RecommendationsResult> {
  const facts = await readFacts(bucket, event);
  const [anomalies, trends] = await Promise.all([
    branchItems<Anomaly>(
      'detect-anomalies',
      event.anomalies,
      (key) => getJson(bucket, key),
      () => detectAnomalies(facts),
    ),
    branchItems<Trend>(
      'analyze-trends',
      event.trends,
      (key) => getJson(bucket, key),
      () => analyzeTrends(facts),
    ),
  ]);
  const analysed = await provider.analyze(facts, { anomalies: anomalies.items, trends: trends.items });
  const insights = withBranchFailures(analysed, [anomalies.reason, trends.reason]);
  const insightsKey = await writeAnalysisFile(bucket, event, 'insights.json', insights);
  return {
    insightsKey,
    provider: insights.provider,
    model: insights.model,
    degraded: insights.degraded,
    notice: insights.degraded ? partialFailureNotice(event.revision, insights) : null,
    anomalies: insights.anomalies.length,
    trends: insights.trends.length,
    recommendations: insights.recommendations.length,
  };
}
