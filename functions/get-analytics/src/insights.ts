import type { ApiInsight, InsightSeverity } from '@tillflow/core';
import type { DailyInsights } from '@tillflow/insights';

const RANK: Record<InsightSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/**
 * The day's insights as one list with a severity each, most severe first: anomalies keep theirs, a significant trend
 * is `medium` (else `low`), a recommendation's priority is its severity. The numbers each rests on stay in `facts`.
 */
export function flattenInsights(insights: DailyInsights): ApiInsight[] {
  const items: ApiInsight[] = [
    ...insights.anomalies.map((a) => ({
      id: a.id,
      kind: 'anomaly' as const,
      scope: a.scope,
      subject: a.subject,
      metric: a.metric,
      severity: a.severity,
      summary: a.summary,
      action: null,
      facts: a.facts,
    })),
    ...insights.trends.map((t) => ({
      id: t.id,
      kind: 'trend' as const,
      scope: t.scope,
      subject: t.subject,
      metric: t.metric,
      severity: (t.significant ? 'medium' : 'low') as InsightSeverity,
      summary: t.summary,
      action: null,
      facts: t.facts,
    })),
    ...insights.recommendations.map((r) => ({
      id: r.id,
      kind: 'recommendation' as const,
      scope: r.scope,
      subject: r.subject,
      metric: r.category,
      severity: r.priority as InsightSeverity,
      summary: r.summary,
      action: r.action,
      facts: r.facts,
    })),
  ];
  return items.sort((a, b) => RANK[a.severity] - RANK[b.severity]);
}
